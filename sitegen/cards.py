"""The home page's topic cards (``<!-- cards home/thumbs -->``), generated from topics.yml, never typed by hand.

One Material grid card per topic (its title, its one-line summary, links to the topic page and to its companion
notebook page) with a thumbnail drawn by the snippet named in the directive (a figure per topic id, light and dark),
then a card for the backprop explorer (the snippet's figure ``explorer``). The Markdown needs ``md_in_html`` and
``attr_list`` (mkdocs.yml).

>>> from sitegen.topics import Topic
>>> t = Topic("t", "t-page.md", {"uk": "Т", "en": "T"}, {"uk": "с", "en": "s"}, ())
>>> md = cards([t], "en", lambda fig, theme: f"_f/{fig}.{theme}.svg")
>>> "[T](t-page.md)" in md and "[Jupyter notebook](notebooks/t.ipynb)" in md and "_f/t.dark.svg#only-dark" in md
True
>>> cards([t], "en", lambda fig, theme: None)
Traceback (most recent call last):
...
ValueError: no thumbnail 't' (a figure named after each topic id of topics.yml)
"""

from __future__ import annotations

TEXT = {
    "uk": {"thumb": "Ілюстрація до теми «{title}»", "notebook": "Зошит Jupyter", "explorer": "Дослідіть граф самі",
           "explorer_line": "Змінюйте входи графа F = tanh(w₀x₀ + w₁x₁) і дивіться, як кожен градієнт згасає в насиченні."},
    "en": {"thumb": "Illustration of the topic “{title}”", "notebook": "Jupyter notebook", "explorer": "Explore the graph yourself",
           "explorer_line": "Change the inputs of F = tanh(w₀x₀ + w₁x₁) and watch every gradient vanish in saturation."},
}
EXPLORER_ANCHOR = "explorer"  # the explorer's section id on the backprop page (docs/*/backprop.md)


def _thumb(src_of, fig: str, alt: str) -> str:
    imgs = []
    for theme in ("light", "dark"):
        src = src_of(fig, theme)
        if src is None:
            raise ValueError(f"no thumbnail {fig!r} (a figure named after each topic id of topics.yml)")
        imgs.append(f'![{alt}]({src}#only-{theme}){{ .topic-card__thumb loading=lazy }}')
    return "".join(imgs)


def cards(topics, lang: str, src_of) -> str:
    """Markdown for the cards; ``src_of(figure, theme)`` is the thumbnail's path relative to the page, or None."""
    t = TEXT[lang]
    items = []
    for topic in topics:
        items.append(
            f"-   {_thumb(src_of, topic.id, t['thumb'].format(title=topic.title[lang]))}\n\n"
            f"    **[{topic.title[lang]}]({topic.page})**\n\n"
            f"    {topic.summary[lang]}\n\n"
            f"    [{t['notebook']}](notebooks/{topic.id}.ipynb)\n")
    backprop = next((tp for tp in topics if tp.id == "backprop"), None)
    if backprop is not None:
        items.append(
            f"-   {_thumb(src_of, 'explorer', t['thumb'].format(title=t['explorer']))}\n\n"
            f"    **[{t['explorer']}]({backprop.page}#{EXPLORER_ANCHOR})**\n\n"
            f"    {t['explorer_line']}\n")
    return '\n<div class="grid cards topic-cards" markdown>\n\n' + "\n".join(items) + "\n</div>\n"
