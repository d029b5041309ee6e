"""Derived colours for a municipality's brand colour, with text colours that keep WCAG AA contrast."""


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever contrasts more with `background`."""
    return "#ffffff" if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#131525") else "#131525"


def branding_css(colour: str) -> str:
    return f":root {{\n  --rathaus-brand: {colour};\n  --rathaus-on-brand: {text_colour_on(colour)};\n}}\n"
