"""``python -m geo find``: the naloxone sites nearest a ZIP code, town or coordinates."""

from __future__ import annotations

import argparse

from geo.cli import common
from geo.errors import InputError

NAME = "find"
HELP = "the naloxone sites nearest a Maryland ZIP code, town, coordinates or address"
DESCRIPTION = (
    "The N nearest listed naloxone sites to QUERY (a Maryland ZIP code, a town "
    "such as 'La Plata, MD', coordinates '39.209,-76.067', or a street address "
    "when NALOXONE_GEOCODER=census), nearest first, with straight-line distance "
    "in miles, nearest town, jurisdiction, address, phone and hours where the "
    "source has them, source and as-of date; then the sites of the same "
    "jurisdiction whose location is not mapped. Published local updates (a "
    "closure, a correction, an added site) are included unless --public-only. "
    "A listing is not confirmed stock: call ahead. Place names © GeoNames, CC BY 4.0."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``find``."""
    from geo.analysis.finder import DEFAULT_N
    from geo.schema import SITE_TYPES

    parser.add_argument("query", help="ZIP code, town, 'lat,lon' or street address")
    parser.add_argument(
        "--n", type=int, default=DEFAULT_N, help=f"how many sites (default {DEFAULT_N})"
    )
    parser.add_argument(
        "--types", help="comma-separated site types (default all: " + ",".join(SITE_TYPES) + ")"
    )
    parser.add_argument(
        "--measure",
        choices=("straight", "walk", "drive"),
        default="straight",
        help="order by straight-line distance (default), walking minutes (inside Baltimore "
        "City; straight-line elsewhere, said so) or driving minutes (installed network)",
    )
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument(
        "--handout",
        metavar="OUT.pdf",
        help="also write the one-page printable handout 'Free naloxone near <place>' (PDF)",
    )
    parser.add_argument(
        "--paper", choices=("letter", "a4"), default="letter", help="handout paper size"
    )
    from geo.i18n import language_list

    parser.add_argument(
        "--lang",
        default="en",
        help="language of the answer and the handout: " + language_list() + "; JSON keys, "
        "the CSV header row and coded values stay the same in every language",
    )
    parser.add_argument("--out", help="output file (default: standard output)")
    common.add_public_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Answer one search (bad searches: one ``error:`` line, exit 2)."""
    from geo.analysis.finder import Finder, FinderError
    from geo.config import geocoder_name
    from geo.data.geocoder import shared_geocoder
    from geo.i18n import is_known_language, language, language_list
    from geo.render import finder_output

    if not is_known_language(args.lang):  # one line, exit 2 (never a silent English answer)
        raise InputError(f"unknown language {args.lang!r} for --lang; available: {language_list()}")
    args.lang = language(args.lang)
    out = common.writable_file(args.out)
    handout_out = common.writable_file(args.handout) if args.handout else None
    types = [t for t in (args.types or "").split(",") if t.strip()]
    name = geocoder_name()
    try:
        Finder.check_types(types)
        finder = Finder.from_data(common.load_data(args))
        result = finder.find(args.query, args.n, types, shared_geocoder(name) if name else None)
        if args.measure != "straight":
            from geo.analysis.travel import travel_find
            from geo.network.installed import covered_network

            covered = covered_network(args.measure)
            result = travel_find(finder, result.query, args.n, types, covered)
    except FinderError as exc:
        from geo.i18n import translator

        _ = translator(args.lang)
        hint = (
            " " + _("Try: {suggestions}.").format(suggestions="; ".join(exc.suggestions))
            if exc.suggestions
            else ""
        )
        raise InputError(f"{exc.translated(_)}{hint}") from None
    if args.format == "json":
        data = finder_output.result_json_bytes(result, args.lang)
    elif args.format == "csv":
        data = finder_output.result_csv_bytes(result, args.lang)
    else:
        data = finder_output.result_text(result, lang=args.lang).encode("utf-8")
    common.write_output(data, out)
    if handout_out is not None:
        common.write_output(_handout_bytes(args, result), handout_out)
    return 0


def _handout_bytes(args: argparse.Namespace, result) -> bytes:
    """The handout of ``result``; its QR code links the finder at ``NALOXONE_PUBLIC_URL``."""
    from geo.config import public_url
    from geo.data.layers import load_cited_facts
    from geo.render import handout

    link = handout.finder_link(public_url(), result.query.text, args.lang, measure=args.measure)
    sites = common.load_data(args).sites
    content = handout.handout_content(result, load_cited_facts(), sites, link, lang=args.lang)
    return handout.handout_pdf(content, args.paper)
