"""The skill's icons (tools/make_icons.py): drawn in pure Python, so redrawing both sizes takes
seconds (moved here from test_locales.py to keep the unit tier fast)."""

import pytest


@pytest.mark.slow
def test_the_icons_are_108_and_512_pixel_pngs_that_redraw_identically():
    from tools import make_icons

    for size in make_icons.SIZES:
        data = make_icons.path_for(size).read_bytes()
        width, height, raw = make_icons.read_png(data)
        assert (width, height) == (size, size)
        assert data[25] == 2  # colour type 2: RGB, opaque
    assert make_icons.main(["--check"]) == 0  # redraws both sizes: the same pixels as the files
