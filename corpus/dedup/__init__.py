"""Deduplication: exact (normalised text, URL) and near (MinHash-LSH) duplicates."""
