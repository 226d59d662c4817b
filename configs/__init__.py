"""Configuration files (YAML) and the code that reads them."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
