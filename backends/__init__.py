"""agrad's adapters: the only code that imports a concrete array library.

Each module holds one adapter class; `agrad.config` finds them through the `agrad.backends`
entry-point group (this package registers its own there too), so importing this package imports
no array library.
"""
