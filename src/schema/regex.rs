//! A small ECMA-262 regular-expression engine (`u` flag semantics) for `pattern`,
//! `patternProperties` and `format: "regex"`.
//!
//! It compiles to an NFA and runs it as a Pike VM, natively and in wasm (never the host's
//! backtracking `RegExp`). A match costs O(m·n) for a program of m instructions (at most
//! 20,000, lookaheads included) on n characters, whatever the pattern: each lookahead's verdict
//! at every position is computed up front in one backward pass over the text (O(m·n) too),
//! not by a new search from every position. Matching spends a caller's budget of thread steps
//! and stops when it runs out. Differences from ECMA-262: no backreferences or lookbehind (a
//! compile error), at most 16 lookaheads, and `\p{..}` supports only the general categories
//! L, Lu, Ll, N, Nd (and their long names) through Rust's Unicode tables.

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Split(usize, usize),
    Jmp(usize),
    Assert(Assertion),
    /// Lookahead `i` of the program's `looks` holds here (or, negated, does not).
    Look(usize, bool),
    Match,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Assertion {
    Start,
    End,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Clone, Debug, Default)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
    props: Vec<(Prop, bool)>,
}

#[derive(Clone, Copy, Debug)]
enum Prop {
    Digit,
    Word,
    Space,
    Letter,
    Upper,
    Lower,
    Number,
}

impl Prop {
    fn has(self, c: char) -> bool {
        match self {
            Prop::Digit => c.is_ascii_digit(),
            Prop::Word => c.is_ascii_alphanumeric() || c == '_',
            // ECMA-262's WhiteSpace and LineTerminator: Unicode's White_Space without U+0085, and U+FEFF.
            Prop::Space => (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}',
            Prop::Letter => c.is_alphabetic() && !c.is_numeric(),
            Prop::Upper => c.is_uppercase(),
            Prop::Lower => c.is_lowercase(),
            Prop::Number => c.is_numeric(),
        }
    }
}

impl Class {
    /// Membership in O(log n) of the ranges (a class of 50,000 characters tested one by one made
    /// a match on 200,000 characters take seconds); the ranges are sorted and merged first.
    fn has(&self, c: char) -> bool {
        let i = self.ranges.partition_point(|&(_, high)| high < c);
        let found =
            self.ranges.get(i).is_some_and(|&(low, _)| low <= c) || self.props.iter().any(|&(p, neg)| p.has(c) != neg);
        found != self.negated
    }

    /// The same class with its ranges sorted and overlapping or adjacent ones merged.
    fn normalized(&self) -> Class {
        let mut ranges = self.ranges.clone();
        crate::json::heap_sort(&mut ranges, |a, b| a < b);
        let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
        for (low, high) in ranges {
            match merged.last_mut() {
                Some(last) if (low as u32) <= last.1 as u32 + 1 => last.1 = last.1.max(high),
                _ => merged.push((low, high)),
            }
        }
        // Each property once: `[\d\d\d…]` is `[\d]` (a million copies cost a million tests a character).
        let mut props: Vec<(Prop, bool)> = Vec::new();
        for &(p, neg) in &self.props {
            if !props.iter().any(|&(q, n)| q as u8 == p as u8 && n == neg) {
                props.push((p, neg));
            }
        }
        Class { negated: self.negated, ranges: merged, props }
    }
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    /// The lookaheads' own programs, by the index in `Inst::Look`.
    looks: Vec<Regex>,
}

/// Matching ran out of its budget of thread steps.
#[derive(Debug, PartialEq)]
pub(crate) struct Exhausted;

fn spend(budget: &mut u64, units: usize) -> Result<(), Exhausted> {
    *budget = budget.checked_sub(units as u64).ok_or(Exhausted)?;
    Ok(())
}

/// Positions where a lookahead holds, one bit each.
struct Table(Vec<u64>);

impl Table {
    fn get(&self, pos: usize) -> bool {
        self.0[pos / 64] >> (pos % 64) & 1 != 0
    }
}

const MAX_PROGRAM: usize = 20_000;
const MAX_LOOKS: usize = 16;

impl Regex {
    /// Parses an ECMA-262 pattern; the error says what is wrong and where.
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let mut p = Parser { chars: pattern.chars().collect(), names: Vec::new(), pos: 0, depth: 0 };
        let ast = p.alternation()?;
        if p.pos < p.chars.len() {
            return Err(format!("unmatched ')' at position {}", p.pos));
        }
        let mut size = Size { insts: 0, looks: 0 };
        let re = program(&ast, &mut size)?;
        if size.insts > MAX_PROGRAM {
            return Err("is too large (counted repetitions expand too far)".into());
        }
        Ok(re)
    }

    /// Whether the pattern matches anywhere in `text` (JSON Schema patterns are not anchored),
    /// with no limit on the work.
    #[cfg(test)]
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let mut unlimited = u64::MAX;
        self.is_match_within(text, &mut unlimited).unwrap_or(false)
    }

    /// [`Regex::is_match`], spending one of `budget` per thread step; `Err` when it runs out.
    pub(crate) fn is_match_within(&self, text: &str, budget: &mut u64) -> Result<bool, Exhausted> {
        // Setting up a match costs the program's size (its thread lists), whatever the text.
        spend(budget, self.prog.len())?;
        let chars: Vec<char> = text.chars().collect();
        let tables = self.tables(&chars, budget)?;
        self.search(&chars, &tables, budget)
    }

    /// Every lookahead's verdict at every position of `chars`.
    fn tables(&self, chars: &[char], budget: &mut u64) -> Result<Vec<Table>, Exhausted> {
        self.looks.iter().map(|sub| sub.holds_at(chars, budget)).collect()
    }

    /// Where this (lookahead) program matches a prefix of the rest of `chars`, for every
    /// position at once: a backward pass in which an instruction is live at a position when a
    /// path from it reaches `Match`. Live instructions at `pos` are seeded by `Match` and by the
    /// instructions that consume `chars[pos]` into a live one at `pos + 1`, then spread back
    /// along the epsilon edges (jumps, splits, and assertions that hold at `pos`).
    fn holds_at(&self, chars: &[char], budget: &mut u64) -> Result<Table, Exhausted> {
        let tables = self.tables(chars, budget)?;
        let m = self.prog.len();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); m + 1];
        for (pc, inst) in self.prog.iter().enumerate() {
            match inst {
                Inst::Jmp(x) => preds[*x].push(pc),
                Inst::Split(a, b) => {
                    preds[*a].push(pc);
                    preds[*b].push(pc);
                }
                Inst::Assert(_) | Inst::Look(..) => preds[pc + 1].push(pc),
                _ => {}
            }
        }
        let mut table = Table(vec![0; chars.len() / 64 + 1]);
        let mut next = vec![false; m + 1];
        let mut live = vec![false; m + 1];
        let mut queue = Vec::new();
        for pos in (0..=chars.len()).rev() {
            spend(budget, m)?;
            live.iter_mut().for_each(|l| *l = false);
            for (pc, inst) in self.prog.iter().enumerate() {
                let seed = match inst {
                    Inst::Match => true,
                    _ => pos < chars.len() && next[pc + 1] && self.consumes(pc, chars[pos]),
                };
                if seed {
                    live[pc] = true;
                    queue.push(pc);
                }
            }
            while let Some(y) = queue.pop() {
                for &p in &preds[y] {
                    if live[p] {
                        continue;
                    }
                    let ok = match &self.prog[p] {
                        Inst::Assert(a) => assertion_holds(*a, chars, pos),
                        Inst::Look(i, negate) => tables[*i].get(pos) != *negate,
                        _ => true,
                    };
                    if ok {
                        live[p] = true;
                        queue.push(p);
                    }
                }
            }
            if live[0] {
                table.0[pos / 64] |= 1 << (pos % 64);
            }
            std::mem::swap(&mut next, &mut live);
        }
        Ok(table)
    }

    fn consumes(&self, pc: usize, c: char) -> bool {
        match &self.prog[pc] {
            Inst::Char(x) => *x == c,
            Inst::Any => !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}'),
            Inst::Class(class) => class.has(c),
            _ => false,
        }
    }

    fn search(&self, chars: &[char], tables: &[Table], budget: &mut u64) -> Result<bool, Exhausted> {
        // One pass: a new thread starts at every position (an unanchored search).
        let n = self.prog.len();
        let mut clist = Threads::new(n);
        let mut nlist = Threads::new(n);
        for pos in 0..=chars.len() {
            self.add(&mut clist, 0, chars, pos, tables, budget)?;
            if clist.matched {
                return Ok(true);
            }
            if pos == chars.len() {
                break;
            }
            nlist.clear();
            let c = chars[pos];
            spend(budget, clist.list.len())?;
            for i in 0..clist.list.len() {
                let pc = clist.list[i];
                if self.consumes(pc, c) {
                    self.add(&mut nlist, pc + 1, chars, pos + 1, tables, budget)?;
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            if clist.matched {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn add(
        &self,
        t: &mut Threads,
        pc: usize,
        chars: &[char],
        pos: usize,
        tables: &[Table],
        budget: &mut u64,
    ) -> Result<(), Exhausted> {
        // An explicit stack: epsilon closures of long programs must not overflow the call stack.
        let mut stack = std::mem::take(&mut t.stack);
        stack.push(pc);
        let mut visits = 0;
        while let Some(pc) = stack.pop() {
            if t.seen[pc] == t.generation {
                continue;
            }
            t.seen[pc] = t.generation;
            visits += 1;
            match &self.prog[pc] {
                Inst::Jmp(x) => stack.push(*x),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Assert(a) => {
                    if assertion_holds(*a, chars, pos) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Look(i, negate) => {
                    if tables[*i].get(pos) != *negate {
                        stack.push(pc + 1);
                    }
                }
                Inst::Match => t.matched = true,
                _ => t.list.push(pc),
            }
        }
        t.stack = stack;
        spend(budget, visits)
    }
}

fn assertion_holds(a: Assertion, chars: &[char], pos: usize) -> bool {
    let word = |i: usize| chars.get(i).is_some_and(|&c| Prop::Word.has(c));
    let at_boundary = || (pos > 0 && word(pos - 1)) != word(pos);
    match a {
        Assertion::Start => pos == 0,
        Assertion::End => pos == chars.len(),
        Assertion::WordBoundary => at_boundary(),
        Assertion::NotWordBoundary => !at_boundary(),
    }
}

struct Threads {
    list: Vec<usize>,
    /// The epsilon closure's work list, kept between calls (a new one each call was most of the
    /// cost of matching a short string).
    stack: Vec<usize>,
    seen: Vec<u32>,
    generation: u32,
    matched: bool,
}

impl Threads {
    fn new(n: usize) -> Threads {
        Threads { list: Vec::new(), stack: Vec::new(), seen: vec![0; n], generation: 1, matched: false }
    }

    fn clear(&mut self) {
        self.list.clear();
        self.generation += 1;
        self.matched = false;
    }
}

#[derive(Debug)]
enum Ast {
    Empty,
    Char(char),
    Any,
    Class(Class),
    Assert(Assertion),
    Look(Box<Ast>, bool),
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, u32, Option<u32>),
}

/// Instructions and lookaheads of the finished (lookahead) programs.
struct Size {
    insts: usize,
    looks: usize,
}

/// `ast` as a program ending in `Match`, with its lookaheads' programs.
fn program(ast: &Ast, size: &mut Size) -> Result<Regex, String> {
    let mut re = Regex { prog: Vec::new(), looks: Vec::new() };
    emit(ast, &mut re, size)?;
    re.prog.push(Inst::Match);
    size.insts += re.prog.len();
    Ok(re)
}

fn emit(ast: &Ast, re: &mut Regex, size: &mut Size) -> Result<(), String> {
    if size.insts + re.prog.len() > MAX_PROGRAM {
        return Err("is too large (counted repetitions expand too far)".into());
    }
    match ast {
        Ast::Empty => {}
        Ast::Char(c) => re.prog.push(Inst::Char(*c)),
        Ast::Any => re.prog.push(Inst::Any),
        Ast::Class(c) => {
            // A class's ranges are copied with every repetition: they count against the program's
            // size (four ranges an instruction), or `[<60,000 chars>]{9000}` takes gigabytes.
            // Normalized when parsed: sorted, merged ranges, each property once.
            size.insts += (c.ranges.len() + c.props.len()) / 4;
            re.prog.push(Inst::Class(c.clone()))
        }
        Ast::Assert(a) => re.prog.push(Inst::Assert(*a)),
        Ast::Look(inner, negate) => {
            size.looks += 1;
            if size.looks > MAX_LOOKS {
                return Err(format!("has more than {MAX_LOOKS} lookaheads (counted repetitions included)"));
            }
            let sub = program(inner, size)?;
            re.looks.push(sub);
            re.prog.push(Inst::Look(re.looks.len() - 1, *negate));
        }
        Ast::Concat(items) => {
            for item in items {
                emit(item, re, size)?;
            }
        }
        Ast::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = re.prog.len();
                    re.prog.push(Inst::Split(split + 1, 0));
                    emit(branch, re, size)?;
                    jumps.push(re.prog.len());
                    re.prog.push(Inst::Jmp(0));
                    let next = re.prog.len();
                    re.prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(branch, re, size)?;
                }
            }
            let end = re.prog.len();
            for j in jumps {
                re.prog[j] = Inst::Jmp(end);
            }
        }
        Ast::Repeat(inner, min, max) => {
            for _ in 0..*min {
                let before = re.prog.len() + size.insts;
                emit(inner, re, size)?;
                if re.prog.len() + size.insts == before {
                    // An empty repetition still counts (`(?:){4294967295}` looped ~forever).
                    size.insts += 1;
                    if size.insts + re.prog.len() > MAX_PROGRAM {
                        return Err("is too large (counted repetitions expand too far)".into());
                    }
                }
            }
            match max {
                None => {
                    let split = re.prog.len();
                    re.prog.push(Inst::Split(split + 1, 0));
                    emit(inner, re, size)?;
                    re.prog.push(Inst::Jmp(split));
                    let end = re.prog.len();
                    re.prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(re.prog.len());
                        re.prog.push(Inst::Split(re.prog.len() + 1, 0));
                        emit(inner, re, size)?;
                        if size.insts + re.prog.len() > MAX_PROGRAM {
                            return Err("is too large (counted repetitions expand too far)".into());
                        }
                    }
                    let end = re.prog.len();
                    for s in splits {
                        re.prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

struct Parser {
    chars: Vec<char>,
    /// The names of the named groups so far.
    names: Vec<String>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at position {}", self.pos))
    }

    fn alternation(&mut self) -> Result<Ast, String> {
        self.depth += 1;
        if self.depth > 100 {
            return self.err("groups nested too deeply");
        }
        let mut branches = vec![self.sequence()?];
        while self.eat('|') {
            branches.push(self.sequence()?);
        }
        self.depth -= 1;
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Ast::Empty) } else { Ast::Alt(branches) })
    }

    fn sequence(&mut self) -> Result<Ast, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let (atom, quantifiable) = self.atom()?;
            let atom = self.quantifier(atom, quantifiable)?;
            items.push(atom);
        }
        Ok(Ast::Concat(items))
    }

    /// An atom, and whether it may take a quantifier.
    fn atom(&mut self) -> Result<(Ast, bool), String> {
        let c = self.peek().unwrap_or('\0');
        self.pos += 1;
        Ok(match c {
            '^' => (Ast::Assert(Assertion::Start), false),
            '$' => (Ast::Assert(Assertion::End), false),
            '.' => (Ast::Any, true),
            '[' => (Ast::Class(self.class()?), true),
            '(' => {
                let mut look = None;
                if self.eat('?') {
                    if self.eat(':') {
                    } else if self.eat('=') {
                        look = Some(false);
                    } else if self.eat('!') {
                        look = Some(true);
                    } else if self.eat('<') {
                        if matches!(self.peek(), Some('=') | Some('!')) {
                            return self.err("lookbehind is not supported");
                        }
                        // A group name as ECMA-262 has it: an identifier, not empty, not twice.
                        let mut name = String::new();
                        loop {
                            let Some(c) = self.peek() else { return self.err("missing '>' after the group name") };
                            self.pos += 1;
                            if c == '>' {
                                break;
                            }
                            let first = name.is_empty();
                            if !((c.is_alphabetic() || c == '_' || c == '$') || (!first && c.is_alphanumeric())) {
                                return self.err("invalid group name");
                            }
                            name.push(c);
                        }
                        if name.is_empty() {
                            return self.err("empty group name");
                        }
                        if self.names.contains(&name) {
                            return self.err("duplicate group name");
                        }
                        self.names.push(name);
                    } else {
                        return self.err("invalid group");
                    }
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return self.err("missing ')'");
                }
                match look {
                    Some(negate) => (Ast::Look(Box::new(inner), negate), false),
                    None => (inner, true),
                }
            }
            '\\' => self.escape(false)?,
            '*' | '+' | '?' => return self.err("nothing to repeat"),
            '{' => {
                self.pos -= 1;
                if self.counted().is_some() {
                    return self.err("nothing to repeat");
                }
                self.pos += 1;
                return self.err("lone '{' (escape it as \\{)");
            }
            ']' | '}' => return self.err(&format!("lone '{c}' (escape it)")),
            c => (Ast::Char(c), true),
        })
    }

    fn quantifier(&mut self, atom: Ast, quantifiable: bool) -> Result<Ast, String> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.counted() {
                Some(q) => q,
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        if !quantifiable {
            return self.err("nothing to repeat");
        }
        if max.is_some_and(|m| m < min) {
            return self.err("numbers out of order in {} quantifier");
        }
        self.eat('?'); // lazy: the same for a yes/no match
        Ok(Ast::Repeat(Box::new(atom), min, max))
    }

    /// `{n}`, `{n,}`, `{n,m}`; None (and position unchanged) when it is not one.
    fn counted(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        let number = |p: &mut Parser| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let digits: String = p.chars[s..p.pos].iter().collect();
            digits.parse::<u32>().ok()
        };
        self.pos += 1;
        let result = number(self).and_then(|min| {
            if self.eat('}') {
                return Some((min, Some(min)));
            }
            if !self.eat(',') {
                return None;
            }
            if self.eat('}') {
                return Some((min, None));
            }
            let max = number(self)?;
            self.eat('}').then_some((min, Some(max)))
        });
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    fn class(&mut self) -> Result<Class, String> {
        let mut class = Class { negated: self.eat('^'), ..Class::default() };
        loop {
            let Some(c) = self.peek() else { return self.err("missing ']'") };
            self.pos += 1;
            if c == ']' {
                return Ok(class.normalized());
            }
            let low = if c == '\\' {
                match self.escape(true)? {
                    (Ast::Char(x), ..) => x,
                    (Ast::Class(inner), ..) => {
                        class.props.extend(inner.props.iter().copied());
                        for r in inner.ranges {
                            class.ranges.push(r);
                        }
                        if inner.negated {
                            return self.err("negated escapes like \\P are not supported inside a class");
                        }
                        if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                            return self.err("invalid range in class (a class escape cannot bound a range)");
                        }
                        continue;
                    }
                    _ => return self.err("invalid escape in class"),
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let Some(h) = self.peek() else { return self.err("missing ']'") };
                self.pos += 1;
                let high = if h == '\\' {
                    match self.escape(true)? {
                        (Ast::Char(x), ..) => x,
                        _ => return self.err("invalid range in class"),
                    }
                } else {
                    h
                };
                if high < low {
                    return self.err("range out of order in class");
                }
                class.ranges.push((low, high));
            } else {
                class.ranges.push((low, low));
            }
        }
    }

    fn escape(&mut self, in_class: bool) -> Result<(Ast, bool), String> {
        let Some(c) = self.peek() else { return self.err("\\ at end of pattern") };
        self.pos += 1;
        let prop = |p: Prop, neg: bool| Ast::Class(Class { negated: false, ranges: vec![], props: vec![(p, neg)] });
        let ch = |c: char| Ok((Ast::Char(c), true));
        match c {
            'd' => Ok((prop(Prop::Digit, false), true)),
            'D' => Ok((prop(Prop::Digit, true), true)),
            'w' => Ok((prop(Prop::Word, false), true)),
            'W' => Ok((prop(Prop::Word, true), true)),
            's' => Ok((prop(Prop::Space, false), true)),
            'S' => Ok((prop(Prop::Space, true), true)),
            'b' if in_class => ch('\u{8}'),
            'b' => Ok((Ast::Assert(Assertion::WordBoundary), false)),
            'B' if !in_class => Ok((Ast::Assert(Assertion::NotWordBoundary), false)),
            't' => ch('\t'),
            'n' => ch('\n'),
            'r' => ch('\r'),
            'v' => ch('\u{b}'),
            'f' => ch('\u{c}'),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => ch('\0'),
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.pos += 1;
                    ch(char::from(l as u8 % 32))
                }
                _ => self.err("invalid \\c escape"),
            },
            'x' => self.hex(2).and_then(ch),
            'u' => {
                if self.eat('{') {
                    let start = self.pos;
                    while self.peek().is_some_and(|d| d.is_ascii_hexdigit()) {
                        self.pos += 1;
                    }
                    let digits: String = self.chars[start..self.pos].iter().collect();
                    if digits.is_empty() || !self.eat('}') {
                        return self.err("invalid \\u{...} escape");
                    }
                    match u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32) {
                        Some(c) => ch(c),
                        None => self.err("invalid code point"),
                    }
                } else {
                    let hi = self.hex_value(4)?;
                    // A surrogate pair written as two \u escapes is one code point.
                    if (0xD800..0xDC00).contains(&hi) && self.chars.get(self.pos) == Some(&'\\') {
                        let save = self.pos;
                        self.pos += 1;
                        if self.eat('u') {
                            if let Ok(lo) = self.hex_value(4) {
                                if (0xDC00..0xE000).contains(&lo) {
                                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    return char::from_u32(cp).map_or_else(|| self.err("invalid code point"), ch);
                                }
                            }
                        }
                        self.pos = save;
                    }
                    char::from_u32(hi).map_or_else(|| self.err("lone surrogate"), ch)
                }
            }
            'p' | 'P' => {
                if !self.eat('{') {
                    return self.err("\\p needs {Property}");
                }
                let start = self.pos;
                while self.peek().is_some_and(|d| d != '}') {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if !self.eat('}') {
                    return self.err("missing '}' in \\p{...}");
                }
                let p = match name
                    .strip_prefix("General_Category=")
                    .or_else(|| name.strip_prefix("gc="))
                    .unwrap_or(&name)
                {
                    "L" | "Letter" => Prop::Letter,
                    "Lu" | "Uppercase_Letter" => Prop::Upper,
                    "Ll" | "Lowercase_Letter" => Prop::Lower,
                    "N" | "Number" => Prop::Number,
                    "Nd" | "Decimal_Number" | "digit" => Prop::Digit,
                    _ => return self.err(&format!("\\p{{{name}}} is not supported here")),
                };
                Ok((prop(p, c == 'P'), true))
            }
            '1'..='9' => self.err("backreferences are not supported"),
            '^' | '$' | '\\' | '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '/' => ch(c),
            '-' if in_class => ch('-'),
            _ => self.err(&format!("invalid escape \\{c}")),
        }
    }

    fn hex_value(&mut self, n: usize) -> Result<u32, String> {
        let digits: String = self.chars.iter().skip(self.pos).take(n).collect();
        if digits.len() != n || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
            return self.err("invalid hexadecimal escape");
        }
        self.pos += n;
        // At most 8 hexadecimal digits, checked above: it cannot fail (ParseIntError's Display
        // would bring its messages into the payload).
        Ok(u32::from_str_radix(&digits, 16).unwrap_or(u32::MAX))
    }

    fn hex(&mut self, n: usize) -> Result<char, String> {
        let v = self.hex_value(n)?;
        char::from_u32(v).map_or_else(|| self.err("invalid code point"), Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn m(pattern: &str, text: &str) -> bool {
        Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}")).is_match(text)
    }

    #[test]
    fn matches_like_ecmascript() {
        let cases = [
            ("^a*$", "aaa", true),
            ("^a*$", "aab", false),
            ("a+", "xxay", true),
            ("^[a-z]+$", "abc", true),
            ("^[a-z]+$", "aBc", false),
            ("^[^0-9]+$", "abc", true),
            ("^\\d{3}-\\d{2,}$", "123-45", true),
            ("^\\d{3}-\\d{2,}$", "123-4", false),
            ("^(ab|cd)+$", "abcdab", true),
            ("^(ab|cd)+$", "abc", false),
            ("^(?:a|b)?c$", "c", true),
            ("f.*o", "foo", true),
            ("^.$", "\n", false),
            ("^.$", "🐲", true),
            ("\\bword\\b", "a word here", true),
            ("\\bword\\b", "swordfish", false),
            ("^\\p{Letter}+$", "héllo", true),
            ("^\\p{L}+$", "abc1", false),
            ("^(?=.*\\d)\\w+$", "abc1", true),
            ("^(?!abc)\\w+$", "abcd", false),
            ("^\\u00e9$", "é", true),
            ("^\\ud83d\\udc32$", "🐲", true),
            ("^\\s$", "\u{a0}", true),
            ("^\\s$", "\u{85}", false),
            ("^\\w$", "é", false),
            ("^[\\w-]+$", "a-b_c", true),
            ("^[-\\d]+$", "-1", true),
            ("^a{0}$", "", true),
            ("", "anything", true),
            ("^(a+)+$", &format!("{}!", "a".repeat(5000)), false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(m(pattern, text), want, "{pattern:?} on {text:?}");
        }
    }

    #[test]
    fn lookaheads_at_every_position() {
        let cases = [
            ("(?=a*b)", "aaab", true),
            ("(?=a*b)", "aaaa", false),
            ("^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$", "abcDEF12", true),
            ("^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$", "abcdefg1", false),
            ("a(?!b)", "abac", true),
            ("a(?!b)", "abab", false),
            ("(?=(?!x)a)a$", "ba", true),
            ("(?=(?!x)a)a$", "bx", false),
            ("x(?=y(?=z))", "xyz", true),
            ("x(?=y(?=z))", "xyw", false),
            ("(?=$)", "abc", true),
            ("\\b(?=\\w+\\b)foo", "a foo", true),
            ("^(?:(?=a)a|b)+$", "abab", true),
            ("(?=(a|aa)*c)", "aaaab", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(m(pattern, text), want, "{pattern:?} on {text:?}");
        }
    }

    #[test]
    fn cost_is_linear_with_lookaheads() {
        // Thread steps grow in proportion to the input (the old search from every position made
        // `(?=a*b)` quadratic: 7.9 s on 20,000 characters).
        let re = Regex::new("(?=a*b)").unwrap();
        let spent = |n: usize| {
            let mut budget = u64::MAX;
            assert_eq!(re.is_match_within(&"a".repeat(n), &mut budget), Ok(false));
            u64::MAX - budget
        };
        let (small, large) = (spent(10_000), spent(100_000));
        assert!(large <= small * 11, "{small} -> {large}");
        let mut tight = 1000;
        assert_eq!(re.is_match_within(&"a".repeat(10_000), &mut tight), Err(Exhausted));
        assert_eq!(
            Regex::new(&"(?=a)".repeat(17)).unwrap_err(),
            "has more than 16 lookaheads (counted repetitions included)"
        );
        assert!(Regex::new("(?:(?=a)){16}").is_ok());
        assert!(Regex::new("(?:(?=a)){17}").is_err());
        assert!(Regex::new("(?=a)+").is_err(), "a lookahead takes no quantifier with the u flag");
        // Every other character: 30,000 ranges that do not merge.
        let wide: String = (0..30_000u32).filter_map(|i| char::from_u32(0x4e00 + 2 * i)).collect();
        assert!(Regex::new(&format!("[{wide}]{{9000}}")).is_err(), "class copies count against the size");
        assert!(Regex::new(&format!("[{wide}]")).is_ok());
    }

    #[test]
    fn classes_with_many_ranges() {
        let cases = [
            ("^[z-za-cb-fx]+$", "abcdefxz", true),
            ("^[z-za-cb-fx]+$", "abcdefgxz", false),
            ("^[^a-cb-f]$", "g", true),
            ("^[^a-cb-f]$", "e", false),
            ("^[\\dA-Fa-f]+$", "09afAF", true),
            ("^[\\dA-Fa-f]+$", "0g", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(m(pattern, text), want, "{pattern:?} on {text:?}");
        }
        // 50,000 ranges, each character tested by binary search, not one range at a time.
        let wide: String = (0..50_000u32).filter_map(|i| char::from_u32(0x4e00 + 2 * i)).collect();
        let re = Regex::new(&format!("^[{wide}b]*$")).unwrap();
        let mut budget = u64::MAX;
        assert_eq!(re.is_match_within(&"b".repeat(200_000), &mut budget), Ok(true));
        assert!(m(&format!("^[{wide}]$"), "\u{4e02}"));
        assert!(!m(&format!("^[{wide}]$"), "\u{4e01}"));
    }

    #[test]
    fn syntax_errors() {
        for bad in [
            "(",
            "a)",
            "[a",
            "*a",
            "a{2,1}",
            "\\",
            "(?<=a)b",
            "\\1",
            "\\a",
            "{",
            "a**",
            "[\\d-_]",
            "[\\w-\\-]",
            "(?<>a)",
            "(?<1a>a)",
            "(?<a>x)(?<a>y)",
            "(?<a",
            "(?:){4294967295}",
            "(?:(?:){100000}){100000}",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad:?} should be an error");
        }
    }
}
