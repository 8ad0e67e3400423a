"""The home page's topic cards (``<!-- cards home/thumbs -->``), generated from topics.yml, never typed by hand.

One Material grid card per topic (its title, its one-line summary, links to the topic page and to its companion
notebook page) with a thumbnail, then a card for the backprop explorer (the snippet's figure ``explorer``). The
Markdown needs ``md_in_html`` and ``attr_list`` (mkdocs.yml).

A topic's thumbnail, light and dark, is the first of:

1. the figure of the thumbnail snippet (``snippets/home/thumbs.py``) named after the topic id: a small drawing
   without text, made for the card;
2. the first figure the topic's page shows, scaled into the card: a new topic needs no thumbnail of its own;
3. the thumbnail snippet's neutral drawing ``topic``, for a topic whose page has no figure.

>>> from sitegen.topics import Topic
>>> t = Topic("t", "t-page.md", {"uk": "Т", "en": "T"}, {"uk": "с", "en": "s"}, ())
>>> md = cards([t], "en", lambda fig, theme: f"_f/{fig}.{theme}.svg")
>>> "[T](t-page.md)" in md and "[Jupyter notebook](notebooks/t.ipynb)" in md and "_f/t.dark.svg#only-dark" in md
True
>>> md = cards([t], "en", lambda fig, theme: f"_f/{fig}.{theme}.svg" if fig == NEUTRAL else None,
...            lambda topic, theme: f"_f/t-page/first.{theme}.svg")
>>> "_f/t-page/first.light.svg#only-light" in md
True
>>> "_f/topic.light.svg#only-light" in cards([t], "en", lambda fig, theme: f"_f/{fig}.{theme}.svg" if fig == NEUTRAL else None)
True
>>> cards([t], "en", lambda fig, theme: None)
Traceback (most recent call last):
...
ValueError: no thumbnail for topic 't': no figure 't' or 'topic' of the thumbnail snippet, and its page shows no figure
"""

from __future__ import annotations

TEXT = {
    "uk": {"thumb": "Ілюстрація до теми «{title}»", "notebook": "Зошит Jupyter", "explorer": "Дослідіть граф самі",
           "explorer_line": "Змінюйте входи графа F = tanh(w₀x₀ + w₁x₁) і дивіться, як кожен градієнт згасає в насиченні."},
    "en": {"thumb": "Illustration of the topic “{title}”", "notebook": "Jupyter notebook", "explorer": "Explore the graph yourself",
           "explorer_line": "Change the inputs of F = tanh(w₀x₀ + w₁x₁) and watch every gradient vanish in saturation."},
}
EXPLORER_ANCHOR = "explorer"  # the explorer's section id on the backprop page (docs/*/backprop.md)


NEUTRAL = "topic"  # the thumbnail snippet's drawing for a topic whose page has no figure


def _thumb(srcs: tuple[str, str], alt: str) -> str:
    return "".join(f'![{alt}]({src}#only-{theme}){{ .topic-card__thumb loading=lazy }}'
                   for theme, src in zip(("light", "dark"), srcs))


def _both(src_of) -> tuple[str, str] | None:
    srcs = (src_of("light"), src_of("dark"))
    return srcs if None not in srcs else None


def cards(topics, lang: str, src_of, first_figure_of=lambda topic, theme: None) -> str:
    """Markdown for the cards. ``src_of(figure, theme)``: the path, relative to the page, of the thumbnail snippet's
    figure, or None when it draws none of that name; ``first_figure_of(topic, theme)``: the path of the first figure
    the topic's page shows, or None."""
    t = TEXT[lang]
    items = []
    for topic in topics:
        srcs = (_both(lambda theme: src_of(topic.id, theme)) or _both(lambda theme: first_figure_of(topic, theme))
                or _both(lambda theme: src_of(NEUTRAL, theme)))
        if srcs is None:
            raise ValueError(f"no thumbnail for topic {topic.id!r}: no figure {topic.id!r} or {NEUTRAL!r} of the "
                             f"thumbnail snippet, and its page shows no figure")
        items.append(
            f"-   {_thumb(srcs, t['thumb'].format(title=topic.title[lang]))}\n\n"
            f"    **[{topic.title[lang]}]({topic.page})**\n\n"
            f"    {topic.summary[lang]}\n\n"
            f"    [{t['notebook']}](notebooks/{topic.id}.ipynb)\n")
    backprop = next((tp for tp in topics if tp.id == "backprop"), None)
    if backprop is not None:
        srcs = _both(lambda theme: src_of("explorer", theme))
        if srcs is None:
            raise ValueError("no thumbnail 'explorer' of the thumbnail snippet (the backprop explorer's card)")
        items.append(
            f"-   {_thumb(srcs, t['thumb'].format(title=t['explorer']))}\n\n"
            f"    **[{t['explorer']}]({backprop.page}#{EXPLORER_ANCHOR})**\n\n"
            f"    {t['explorer_line']}\n")
    return '\n<div class="grid cards topic-cards" markdown>\n\n' + "\n".join(items) + "\n</div>\n"
