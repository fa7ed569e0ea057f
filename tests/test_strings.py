"""Strings in compiled code (issue 19, point 3): literals, arguments and return values, `len`,
indexing and slicing with Python's rules, `==`/`<`, `+`, `*`, `in`, iteration, `str()` and
`repr()` of numbers, f-strings with format specs, `ord`/`chr`, the methods (`split`, `join`,
`strip`, `startswith`, `upper`, `find`, `replace`, ...), strings in tuples and lists, and
`print`; each compared with CPython running the same function (hypothesis over text,
including non-Latin-1 and astral characters). Bad format specs are CompileErrors with CPython's
messages; memory stays flat over 10^5 calls that build and return strings.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import check, rss_growth
from stickyjit import CompileError, njit

TEXT = st.text(max_size=12)
WORDS = st.text(alphabet=st.sampled_from("ab é☃𝄞 \t.,"), max_size=16)
SMALL = st.integers(-20, 20)
# What `repr` writes as itself (docs/language.md: compiled `repr` escapes only ASCII and
# Latin-1 control characters; CPython also escapes unassigned and other unprintable ones).
PRINTABLE = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")) | st.just(" "),
    max_size=12,
)


@njit
def concat_repeat(s, t, n):
    u = s + t * n
    return u, len(u), u == s, u != t, s < t, s <= t, s > t, s >= t


@njit
def index(s, i):
    return s[i]


@njit
def slices(s, a, b, c):
    return s[a:b], s[a:], s[:b], s[::c], s[a:b:c]


@njit
def contains(s, sub):
    return sub in s, sub not in s, s.count(sub), s.find(sub), s.rfind(sub), s.startswith(sub), s.endswith(sub)


@njit
def index_method(s, sub):
    return s.index(sub)


@njit
def chars(s):
    out = []
    for c in s:
        out.append(c)
    n = 0
    for c in s:
        n += ord(c)
    return out, n


@njit
def methods(s):
    return s.upper(), s.lower(), s.strip(), s.lstrip(), s.rstrip(), s.strip("a."), s.isdigit(), s.isalpha(), s.isspace()


@njit
def split_join(s, sep):
    parts = s.split(sep)
    return parts, s.split(), s.split(sep, 1), sep.join(parts), "-".join(s.split())


@njit
def replace(s, old, new, n):
    return s.replace(old, new), s.replace(old, new, n)


@njit
def numbers_to_text(i, x, b):
    return str(i), str(x), str(b), repr(x), str(), str("already")


@njit
def ord_chr(i):
    return chr(i), ord(chr(i))


@njit
def fmt_float(x):
    return (
        f"{x}",
        f"{x:.3f}",
        f"{x:10.2e}",
        f"{x:+.4g}",
        f"{x:,.2f}",
        f"{x:.1%}",
        f"{x:<12}|",
        f"{x:*^14.3f}",
        f"{x!r}",
        f"{x:g}",
        f"{x:.3}",
        f"{x:08.2f}",
    )


@njit
def fmt_int(i):
    return (
        f"{i}",
        f"{i:5d}",
        f"{i:<5}|",
        f"{i:#x}",
        f"{i:#o}",
        f"{i:b}",
        f"{i:,}",
        f"{i:_}",
        f"{i:+08d}",
        f"{i:.2f}",
        f"{i:^9}",
    )


@njit
def fmt_mixed(name, n, ok):
    return f"{name}: {n} items, ok={ok}, {name!r:>10}, [{name:^8}] {ok:d} {name:.2}"


@njit
def literal_in_loop(n):
    k = 0
    for i in range(n):
        s = "abc"
        if s == "abc":
            k += len(s)
    return k


@njit
def word_count(text):
    counts = 0
    longest = ""
    for w in text.split():
        counts += 1
        if len(w) > len(longest):
            longest = w
    return counts, longest


@njit
def str_in_tuple(s):
    return (s, len(s)), [s, s + s]


@njit
def truth(s):
    if s:
        return 1
    return 0


@given(TEXT, TEXT, st.integers(0, 4))
def test_concat_repeat_and_comparisons(s, t, n):
    check(concat_repeat, s, t, n)


@given(TEXT, SMALL)
def test_indexing_with_pythons_rules(s, i):
    check(index, s, i)


@given(TEXT, SMALL, SMALL, st.integers(-3, 3).filter(lambda c: c != 0))
def test_slices(s, a, b, c):
    check(slices, s, a, b, c)


def test_zero_slice_step_is_a_value_error():
    check(slices, "abc", 0, 1, 0)


@given(WORDS, st.text(alphabet=st.sampled_from("ab é☃ ."), max_size=3))
def test_contains_count_find(s, sub):
    check(contains, s, sub)
    check(index_method, s, sub)


@given(TEXT)
def test_iteration_and_ord(s):
    check(chars, s)


@given(WORDS)
def test_methods(s):
    check(methods, s)


@given(WORDS, st.sampled_from([",", ".", "ab", " ", "é"]))
def test_split_and_join(s, sep):
    check(split_join, s, sep)


def test_split_with_an_empty_separator_is_a_value_error():
    check(split_join, "a b", "")


@given(WORDS, st.sampled_from(["a", "", "é", " "]), st.sampled_from(["", "XY", "☃"]), st.integers(-1, 3))
def test_replace(s, old, new, n):
    check(replace, s, old, new, n)


@given(st.integers(-(2**62), 2**62), st.floats(allow_nan=True, allow_infinity=True), st.booleans())
def test_str_and_repr_of_numbers(i, x, b):
    check(numbers_to_text, i, x, b)


@given(st.integers(0, 0x10FFFF))
def test_ord_chr(i):
    check(ord_chr, i)


def test_chr_out_of_range_is_a_value_error():
    check(ord_chr, -1)
    check(ord_chr, 0x110000)


@given(
    st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e16, 1e-5, 123.456, 0.5, 2.5, 1e300])
)
def test_fstring_floats_as_cpython_formats_them(x):
    check(fmt_float, x)


@given(st.integers(-(2**62), 2**62))
def test_fstring_ints_as_cpython_formats_them(i):
    check(fmt_int, i)


@given(PRINTABLE, st.integers(-5, 10**6), st.booleans())
def test_fstring_mixed(name, n, ok):
    check(fmt_mixed, name, n, ok)


def test_literals_are_made_once():
    check(literal_in_loop, 1000)


@given(st.text(alphabet=st.sampled_from("abc \n\t"), max_size=40))
def test_word_count(text):
    check(word_count, text)


@given(TEXT)
def test_strings_in_tuples_and_lists(s):
    check(str_in_tuple, s)
    check(truth, s)


def test_print_writes_what_cpython_writes(capsys):
    @njit
    def show(s, x):
        print("value:", s, (s, 1), [s, "b"], f"{x:.2f}", sep="|")
        for c in s:
            print(c, end="")
        print()

    show.py_func("a'b", 2.5)
    expected = capsys.readouterr().out
    show("a'b", 2.5)
    assert capsys.readouterr().out == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("return f'{x:d}'", "Unknown format code 'd' for object of type 'float'"),
        ("return f'{n:.2d}'", "Precision not allowed in integer format specifier"),
        ("return f'{s:+}'", "Sign not allowed in string format specifier"),
        ("return f'{x:{n}}'", "replacement field"),
        ("return s + n", "unsupported operand types for +: str and int64"),
        ("return s < x", "a string is compared with strings here, not float64"),
        ("return ord(n)", "ord() takes a string, not int64"),
        ("return '%d %d' % (n,)", "not enough arguments for format string"),
        ("return '%d' % (n, n)", "not all arguments converted during string formatting"),
        ("return '{} {}'.format(n)", "Replacement index 1 out of range"),
        ("return '{0.real}'.format(x)", "is not compiled"),
        ("return '{1}{0}'.format(s.upper(), s)", "names or constants"),
    ],
)
def test_bad_strings_are_compile_errors(source, message):
    f = njit(_define(f"def f(s, n, x):\n    {source}\n", f"<strings-{abs(hash(source))}>"))
    with pytest.raises(CompileError) as info:
        f("a", 1, 1.5)
    assert message in str(info.value)


def test_runtime_errors_are_cpythons():
    check(index, "abc", 3)
    check(index, "", 0)
    check(index_method, "abc", "z")

    @njit
    def bad_ord(s):
        return ord(s)

    check(bad_ord, "ab")


def test_memory_stays_flat_building_strings(tmp_path):
    grown = rss_growth(
        tmp_path,
        """
        def build(n):
            s = ""
            for i in range(n):
                s = s + str(i)
            parts = s.split("1")
            return "-".join(parts) + f"{n:>8}"
        """,
        arg=50,
    )
    assert grown < 8 * 2**20, f"RSS grew by {grown} bytes over 10^5 calls"


def _define(src: str, name: str):
    """A function defined from `src` outside this module (pytest rewrites the `assert`
    statements of test modules, which would change CPython's answer)."""
    import linecache

    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns: dict = {}
    exec(compile(src, name, "exec"), ns)
    return ns["f"]


checked = njit(
    _define(
        """
def f(x, name):
    if x < 0:
        raise ValueError(f"{name} must be non-negative, got {x:.2f}")
    assert x < 100, f"too big: {x}"
    message = "odd " + name
    if int(x) % 2 == 1:
        raise KeyError(message)
    return x * 2
""",
        "<strings-checked>",
    )
)


@njit
def caught(x):
    try:
        raise IndexError("item " + str(x))
    except IndexError:
        return -1
    return 0


@given(st.floats(-200, 200), PRINTABLE)
def test_raise_and_assert_with_computed_messages(x, name):
    check(checked, x, name)


def test_a_computed_message_is_caught_like_a_constant_one():
    check(caught, 3)


def test_a_message_that_is_not_a_string_is_a_compile_error():
    @njit
    def bad(x):
        raise ValueError(x)

    with pytest.raises(CompileError, match="an exception's message is a string here, not float64"):
        bad(1.5)


@njit
def word_counts(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    seen = set()
    for w in text.split():
        seen.add(w.upper())
    return counts, len(seen), "a" in counts


@njit
def string_values(keys):
    d = {"first": "x"}
    for k in keys.split(","):
        d[k] = k + "!"
    return d


@njit
def missing_key(d_key):
    d = {"a": 1, "b": 2}
    return d[d_key]


@given(st.text(alphabet=st.sampled_from("ab é\n"), max_size=30))
def test_strings_as_dict_and_set_keys(text):
    check(word_counts, text)


@given(st.text(alphabet=st.sampled_from("ab,é"), max_size=12))
def test_strings_as_dict_values(keys):
    check(string_values, keys)


def test_a_missing_string_key_is_cpythons_key_error():
    check(missing_key, "nope")
    check(missing_key, "it's")
    check(missing_key, "b")


@njit
def count_words(words):
    counts = {}
    for w in words:
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts


@njit
def shout_first(words):
    words[0] = words[0].upper() + "!"
    words.append("new")
    return len(words)


@given(st.lists(st.sampled_from(["a", "b", "é", "☃", "", "ab"]), min_size=1, max_size=20))
def test_a_list_of_strings_passed_in(words):
    check(count_words, list(words))


@given(st.lists(st.text(max_size=4), min_size=1, max_size=6))
def test_a_list_of_strings_changed_is_copied_back(words):
    mine, theirs = list(words), list(words)
    same_objects = [id(w) for w in mine[1:]]
    assert shout_first(mine) == shout_first.py_func(theirs)
    assert mine == theirs
    # Items compiled code did not change keep their objects.
    assert [id(w) for w in mine[1 : len(words)]] == same_objects


def test_a_list_of_strings_and_numbers_is_a_type_error_naming_the_parameter():
    with pytest.raises(TypeError, match="argument 'words' is a list holding both strings and numbers"):
        count_words(["a", 1])


@njit
def other_formats(x, n, name):
    # (The forms these lines test are the point: ruff would rewrite them as f-strings.)
    a = "{} has {:>5} items, ratio {:.3f}".format(name, n, x)  # noqa: UP032
    b = "{0}-{1}-{0}".format(n, name)  # noqa: UP030, UP032
    c = "%s: %5.2f%% (%d) %x %-6s| %e %g %r" % (name, x, n, n, name, x, x, name)  # noqa: UP031
    d = format(x, ".1e") + format(n) + format(name, ">4")
    e = "{n}/{x:.1f} {{literal}}".format(n=n, x=x)  # noqa: UP032
    return a, b, c, d, e


@given(st.floats(-1e6, 1e6), st.integers(0, 10**6), PRINTABLE)
def test_str_format_format_and_percent_as_cpython(x, n, name):
    check(other_formats, x, n, name)


@njit
def labelled(pair):
    name, value = pair
    return f"{name}={value:.2f}", len(name)


@given(st.tuples(TEXT, st.floats(-1e3, 1e3)))
def test_a_tuple_holding_a_string_passed_in(pair):
    check(labelled, pair)


@njit
def more_methods(s, w):
    return (
        s.title(),
        s.capitalize(),
        s.swapcase(),
        s.zfill(w),
        s.center(w, "*"),
        s.ljust(w),
        s.rjust(w, "."),
        s.splitlines(),
    )


@given(st.text(alphabet=st.sampled_from("ab AB-+é\nÉǅ1\r\x0b"), max_size=14), st.integers(-2, 20))
def test_more_methods(s, w):
    check(more_methods, s, w)


def test_a_fill_character_of_another_length_is_cpythons_type_error():
    @njit
    def wide(s):
        return s.center(9, "ab")

    check(wide, "x")
