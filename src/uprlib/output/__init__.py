"""The output stage: the read API over the processed and curated tables (``Review``,
``load_recommendations``), the cross-country summary and the writers of figures and tables."""
