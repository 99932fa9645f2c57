"""The Qt window: views and panels over the headless core. Qt is imported only in this package."""
