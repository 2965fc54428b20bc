"""JupyterLab in headless Chromium: the released notebooks as students run them."""
