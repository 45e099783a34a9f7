"""Text segmentation shared by the quality rules and deduplication."""
