"""PyTorch training on corpus directories: streaming data, objectives, models, the loop."""
