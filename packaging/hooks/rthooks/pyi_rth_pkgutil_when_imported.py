"""Run-time hook for pkgutil that does PyInstaller's registration when pkgutil is first
imported, not at every start (replaces PyInstaller's pyi_rth_pkgutil.py:
packaging/hooks/rthooks.dat takes precedence over the built-in one).

PyInstaller's hook imports pkgutil before the app's first line, to register how
`pkgutil.iter_modules()` lists the modules its finder serves. The app never imports
pkgutil on its way to the window; importing it there cost about 8 ms of each launch
(its singledispatch registrations). Here a finder first in `sys.meta_path` waits for the
first `import pkgutil`, takes itself out, lets the import run and registers the same
listing on the module it made. The listing is PyInstaller's (Apache-2.0, PyInstaller
6.22), unchanged.
"""


def _pyi_rthook():
    import sys

    def register(pkgutil):
        import pyimod02_importers  # PyInstaller's bootstrap module

        def _iter_pyi_frozen_finder_modules(finder, prefix=""):
            # The modules of the PYZ archive under the finder's package prefix...
            tree_node = pyimod02_importers.get_pyz_toc_tree()
            for part in finder._pyz_entry_prefix.split(".") if finder._pyz_entry_prefix else []:
                tree_node = tree_node.get(part)
                if not isinstance(tree_node, dict):  # no such path, or a module rather than a package
                    tree_node = {}
                    break
            for entry_name, entry_data in tree_node.items():
                yield prefix + entry_name, isinstance(entry_data, dict)
            # ...then those on disk, from the fall-back finder (iter_modules drops duplicates).
            if finder.fallback_finder is not None:
                yield from pkgutil.iter_importer_modules(finder.fallback_finder, prefix)

        pkgutil.iter_importer_modules.register(pyimod02_importers.PyiFrozenFinder, _iter_pyi_frozen_finder_modules)

    class ThenRegister:
        """pkgutil's loader, registering the listing once the module has run."""

        def __init__(self, loader):
            self.loader = loader

        def create_module(self, spec):
            return self.loader.create_module(spec)

        def exec_module(self, module):
            self.loader.exec_module(module)
            register(module)

        def __getattr__(self, name):  # get_source, get_code, ...: the real loader's
            return getattr(self.loader, name)

    class WhenPkgutilImported:
        def find_spec(self, name, path=None, target=None):
            if name != "pkgutil":
                return None
            sys.meta_path.remove(self)
            from importlib.util import find_spec

            spec = find_spec(name)
            if spec is not None and spec.loader is not None:
                spec.loader = ThenRegister(spec.loader)
            return spec

    sys.meta_path.insert(0, WhenPkgutilImported())


_pyi_rthook()
del _pyi_rthook
