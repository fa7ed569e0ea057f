//! The list, dict and string methods compiled code calls, by name.

/// The list methods compiled code calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListMethod {
    Append,
    Pop,
    Extend,
    Insert,
    Remove,
    Index,
    Count,
    Reverse,
    Sort,
    Clear,
    Copy,
    /// `sorted(l)` (with `reverse=` as an argument): a new sorted list.
    Sorted,
    /// `x in l` (args: `[x]`); `not in` is its negation.
    Contains,
    /// `del l[i]`, `del d[k]` (parsed as `l.__delitem__(i)`).
    DelItem,
    /// `append` inside a list comprehension's loop whose room [`ListMethod::Reserve`] made
    /// before the loop: no capacity test (lowering makes both; never a user's call).
    AppendReserved,
    /// Before a list comprehension's loop over `range(start, stop, step)` (its arguments): room
    /// for as many more items as the range has, so the loop's appends test nothing.
    Reserve,
}

impl ListMethod {
    pub fn name(self) -> &'static str {
        match self {
            ListMethod::Append => "append",
            ListMethod::Pop => "pop",
            ListMethod::Extend => "extend",
            ListMethod::Insert => "insert",
            ListMethod::Remove => "remove",
            ListMethod::Index => "index",
            ListMethod::Count => "count",
            ListMethod::Reverse => "reverse",
            ListMethod::Sort => "sort",
            ListMethod::Clear => "clear",
            ListMethod::Copy => "copy",
            ListMethod::Sorted => "sorted",
            ListMethod::Contains => "__contains__",
            ListMethod::DelItem => "__delitem__",
            ListMethod::AppendReserved => "append",
            ListMethod::Reserve => "__reserve__",
        }
    }

    /// The method called `name` on a value (`None` for a name no list method has).
    pub fn of(name: &str) -> Option<ListMethod> {
        Some(match name {
            "append" => ListMethod::Append,
            "pop" => ListMethod::Pop,
            "extend" => ListMethod::Extend,
            "insert" => ListMethod::Insert,
            "remove" => ListMethod::Remove,
            "index" => ListMethod::Index,
            "count" => ListMethod::Count,
            "reverse" => ListMethod::Reverse,
            "sort" => ListMethod::Sort,
            "clear" => ListMethod::Clear,
            "copy" => ListMethod::Copy,
            "__delitem__" => ListMethod::DelItem,
            _ => return None,
        })
    }
}

/// The dict methods compiled code calls (`pop`, `copy` and `clear` are [`ListMethod`]s, which
/// inference and codegen take as the dict's when the value is a dict).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictMethod {
    Get,
    SetDefault,
    Keys,
    Values,
    Items,
    Update,
    /// `s.add(x)` of a set.
    Add,
    /// `s.discard(x)` of a set.
    Discard,
    /// What a `for` loop iterates over: a dict's keys (a list of them, taken when the loop
    /// starts), any other value itself.
    Iter,
    /// `d.popitem()`: the last pair inserted, removed, as a tuple.
    PopItem,
}

impl DictMethod {
    pub fn name(self) -> &'static str {
        match self {
            DictMethod::Get => "get",
            DictMethod::SetDefault => "setdefault",
            DictMethod::Keys => "keys",
            DictMethod::Values => "values",
            DictMethod::Items => "items",
            DictMethod::Update => "update",
            DictMethod::Add => "add",
            DictMethod::Discard => "discard",
            DictMethod::Iter => "__iter__",
            DictMethod::PopItem => "popitem",
        }
    }

    /// The method called `name` on a value (`None` for a name no dict-only method has).
    pub fn of(name: &str) -> Option<DictMethod> {
        Some(match name {
            "get" => DictMethod::Get,
            "setdefault" => DictMethod::SetDefault,
            "keys" => DictMethod::Keys,
            "values" => DictMethod::Values,
            "items" => DictMethod::Items,
            "update" => DictMethod::Update,
            "add" => DictMethod::Add,
            "discard" => DictMethod::Discard,
            "popitem" => DictMethod::PopItem,
            _ => return None,
        })
    }
}

/// The string methods compiled code calls (`count`, `index` and `x in s` are [`ListMethod`]s,
/// which inference and codegen take as the string's when the value is a string).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrMethod {
    Upper,
    Lower,
    Strip,
    LStrip,
    RStrip,
    StartsWith,
    EndsWith,
    Find,
    RFind,
    Replace,
    Split,
    Join,
    IsDigit,
    IsAlpha,
    IsSpace,
    IsAlnum,
    IsUpper,
    IsLower,
    Title,
    Capitalize,
    SwapCase,
    ZFill,
    Center,
    LJust,
    RJust,
    SplitLines,
}

impl StrMethod {
    const ALL: [(StrMethod, &'static str); 26] = [
        (StrMethod::Upper, "upper"),
        (StrMethod::Lower, "lower"),
        (StrMethod::Strip, "strip"),
        (StrMethod::LStrip, "lstrip"),
        (StrMethod::RStrip, "rstrip"),
        (StrMethod::StartsWith, "startswith"),
        (StrMethod::EndsWith, "endswith"),
        (StrMethod::Find, "find"),
        (StrMethod::RFind, "rfind"),
        (StrMethod::Replace, "replace"),
        (StrMethod::Split, "split"),
        (StrMethod::Join, "join"),
        (StrMethod::IsDigit, "isdigit"),
        (StrMethod::IsAlpha, "isalpha"),
        (StrMethod::IsSpace, "isspace"),
        (StrMethod::IsAlnum, "isalnum"),
        (StrMethod::IsUpper, "isupper"),
        (StrMethod::IsLower, "islower"),
        (StrMethod::Title, "title"),
        (StrMethod::Capitalize, "capitalize"),
        (StrMethod::SwapCase, "swapcase"),
        (StrMethod::ZFill, "zfill"),
        (StrMethod::Center, "center"),
        (StrMethod::LJust, "ljust"),
        (StrMethod::RJust, "rjust"),
        (StrMethod::SplitLines, "splitlines"),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(m, _)| *m == self).map_or("?", |(_, n)| n)
    }

    /// The string method called `name` (`None` for a name no string method compiled has).
    pub fn of(name: &str) -> Option<StrMethod> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(m, _)| *m)
    }

    /// How many arguments it takes after the string: (fewest, most).
    pub fn arity(self) -> (usize, usize) {
        match self {
            StrMethod::Strip | StrMethod::LStrip | StrMethod::RStrip => (0, 1),
            StrMethod::StartsWith | StrMethod::EndsWith | StrMethod::Find | StrMethod::RFind | StrMethod::Join => (1, 1),
            StrMethod::Replace => (2, 3),
            StrMethod::ZFill => (1, 1),
            StrMethod::Center | StrMethod::LJust | StrMethod::RJust => (1, 2),
            StrMethod::Split => (0, 2),
            _ => (0, 0),
        }
    }
}
