"""A minimal tenant-owned app used only by the kernel's tests."""
