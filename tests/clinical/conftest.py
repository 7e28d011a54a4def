"""The clinical core is pure Python: these tests need no Django settings or database."""
