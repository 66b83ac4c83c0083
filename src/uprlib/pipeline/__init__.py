"""The workflow's driver: Snakemake rules' inputs and outputs, one job per step, papermill
execution of the notebooks, batches of papers, the site and JupyterLab."""
