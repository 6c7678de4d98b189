from typing import Any

# cffi's FFI and the dlopen'ed Pango library: their attributes are made at run time.
ffi: Any
pango: Any
harfbuzz: Any
