"""The model's life: data, validation, training, registry, monitoring."""
