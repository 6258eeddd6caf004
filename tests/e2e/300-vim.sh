#!/bin/sh
# 300-vim: the Vim plugin (editors/vim) in the real Vim, headless.  Each
# command fills the quickfix list; for its first entries the test writes
# the entry (bufname:lnum:col), then jumps there with :cc and writes the
# spot the cursor landed on and the text from it, so a wrong column shows
# as wrong text.  The landing text of each entry was checked by hand with
# `sed -n LINEp FILE | cut -bCOL-` (Vim counts bytes, as brief does).
. "$(dirname "$0")/lib.sh"

if ! command -v vim >/dev/null 2>&1 || ! command -v timeout >/dev/null 2>&1
then
    echo "SKIP $TOPIC: vim (or timeout) is not installed"
    exit 0
fi
vim -Nu NONE -i NONE -es -c "call writefile(['ok'], '$T/.vim-ok')" \
    -c 'qa!' </dev/null >/dev/null 2>&1
if [ ! -f "$T/.vim-ok" ]; then
    echo "SKIP $TOPIC: this vim has no +eval (vim.tiny?); install vim-nox"
    exit 0
fi

index_corpus
mkdir fx
printf '%s\n' 'Café prices in Zürich rose 3.5% in 2023, say the 北京 statistics.' \
    '' '数据: exports reached 12 billion yuan, up 4%.' >fx/prices.txt
bi -q -d fx.ix fx

# The plugin is loaded the documented way: editors/vim on 'runtimepath'.
# Each QF call writes NAME.qf: the first N entries, then where :cc N lands.
cat >"$T/run.vim" <<'EOF'
function! QF(name, n) abort
    let out = []
    let items = getqflist()
    for e in items[: a:n - 1]
        call add(out, fnamemodify(bufname(e.bufnr), ':.') . ':' . e.lnum
                    \ . ':' . e.col)
    endfor
    for i in range(1, min([a:n, len(items)]))
        execute 'silent cc' i
        call add(out, '-> ' . expand('%:.') . ':' . line('.') . ':'
                    \ . col('.') . ' '
                    \ . matchstr(getline('.'), '\%' . col('.') . 'c.\{0,12}'))
    endfor
    call add(out, 'title ' . getqflist({'title': 1}).title)
    call writefile(out, a:name . '.qf')
endfunction
function! Messages(name) abort
    call writefile(split(execute('messages'), "\n"), a:name . '.msg')
    messages clear
endfunction
messages clear

Brief 5G base stations
call QF('brief', 3)
BriefRegex new industrialization
call QF('regex', 2)
BriefFigures 5G base stations
call QF('figures', 1)

" Quoting: sh-special characters reach brief-search as typed, also when
" 'shell' is a shell whose quoting differs (shellescape() follows it).
set shell=/nonexistent/fish
BriefRegex \$?[0-9.]+ trillion|world's|"Since|31\.7%|#x
call QF('quoting', 4)
set shell=/bin/sh
Brief "base stations" OR gigabit
call QF('phrase', 2)
Brief -yuan 5G
call QF('dash', 1)

" g:brief_index, multibyte text: Vim's columns are bytes, as brief's.
let g:brief_index = 'fx.ix'
Brief statistics OR yuan
call QF('mb', 2)
BriefFigures
call QF('mbfig', 2)
unlet g:brief_index

" Exit status 1 and 2.
call setqflist([], ' ', {'title': 'before'})
Brief zzzzqqq
call QF('none', 1)
call Messages('none')
call setqflist([], ' ', {'title': 'before'})
Brief ((
call QF('error', 1)
call Messages('error')
let g:brief_command = 'brief-search-not-here'
Brief x
call Messages('missing')
unlet g:brief_command

" No plugin at all.  Vim's default 'grepformat' (%f:%l:%m,...) has no %c:
" it reads the file and line, and the column goes into the text.
set grepprg=brief-search\ --vimgrep shellpipe=>
silent grep! 5G base stations
call QF('grepprg', 1)
set grepformat^=%f:%l:%c:%m
silent grep! 5G base stations
call QF('grepformat', 1)
qa!
EOF
vim_run() {
    PATH="$BIN:$PATH" timeout 20 vim -Nu NONE -i NONE -es \
        --cmd "set rtp^=$ROOT/editors/vim" -c 'runtime plugin/brief.vim' \
        -S "$T/run.vim" </dev/null
}
t 'vim runs the script' vim_run <<EOF
EOF

t ':Brief: one entry per match, at its byte column' cat brief.qf <<EOF
$F:17:128
$F:17:131
$F:17:136
-> $F:17:128 5G base stat
-> $F:17:131 base station
-> $F:17:136 stations has
title :Brief 5G base stations
EOF
# Line 5 has a 3-byte apostrophe (country’s) before the match.
t ':BriefRegex: PCRE2 matches, byte columns past a multibyte character' \
    cat regex.qf <<EOF
$F:1:110
$F:5:42
-> $F:1:110 new industri
-> $F:5:42 new industri
title :BriefRegex new industrialization
EOF
t ':BriefFigures: the figure, at the figure text' cat figures.qf <<EOF
$F:17:157
-> $F:17:157 3.38 million
title :BriefFigures 5G base stations
EOF
t ':BriefRegex: \ $ ? | '"'"' " % # reach brief-search as typed' \
    cat quoting.qf <<EOF
$F:1:30
$F:13:72
$F:13:96
$F:13:131
-> $F:1:30 "Since the 1
-> $F:13:72 40 trillion 
-> $F:13:96 39.9 trillio
-> $F:13:131 31.7% of GDP
title :BriefRegex \\\$?[0-9.]+ trillion|world's|"Since|31\\.7%|#x
EOF
t ':Brief: a phrase in double quotes' cat phrase.qf <<EOF
$F:17:131
$F:17:136
-> $F:17:131 base station
-> $F:17:136 stations has
title :Brief "base stations" OR gigabit
EOF
t ':Brief: a query starting with - is a query, not an option' \
    cat dash.qf <<EOF
$F:17:128
-> $F:17:128 5G base stat
title :Brief -yuan 5G
EOF
# "statistics": byte 59, character 53; "yuan": byte 36, character 32.
t 'g:brief_index; accents and CJK before the match' cat mb.qf <<EOF
fx/prices.txt:3:36
fx/prices.txt:1:59
-> fx/prices.txt:3:36 yuan, up 4%.
-> fx/prices.txt:1:59 statistics.
title :Brief statistics OR yuan
EOF
t ':BriefFigures without a query: all figures' cat mbfig.qf <<EOF
fx/prices.txt:1:30
fx/prices.txt:1:38
-> fx/prices.txt:1:30 3.5% in 2023
-> fx/prices.txt:1:38 2023, say th
title :BriefFigures
EOF
t 'exit status 1: an empty list and "no hits"' cat none.qf none.msg <<EOF
title :Brief zzzzqqq
brief: no hits
EOF
t 'exit status 2: the list is kept, the message is shown' \
    cat error.qf error.msg <<EOF
title before
brief-search: query:1:2: unbalanced parenthesis
EOF
# dash says "NAME: not found", bash "NAME: command not found".
t 'a missing brief-search: what the shell said' \
    grep -c 'brief-search-not-here: .*not found' missing.msg <<EOF
1
EOF
first_line() { sed -n 1p "$1" | cut -d: -f1-2; }
t "no plugin, 'grepprg' brief-search --vimgrep: file and line" \
    first_line grepprg.qf <<EOF
$F:17
EOF
t "... and the column with 'grepformat' %f:%l:%c:%m" cat grepformat.qf <<EOF
$F:17:128
-> $F:17:128 5G base stat
title :brief-search --vimgrep 5G base stations
EOF

# The help file is valid: :helptags finds its tags.
mkdir -p vimdoc/doc && cp "$ROOT/editors/vim/doc/brief.txt" vimdoc/doc/
vim -Nu NONE -i NONE -es -c 'helptags vimdoc/doc' -c 'qa!' </dev/null
t 'doc/brief.txt: :helptags finds the commands and options' \
    cut -f1 vimdoc/doc/tags <<EOF
:Brief
:BriefFigures
:BriefRegex
brief
brief-columns
brief-commands
brief-intro
brief-options
brief.txt
g:brief_command
g:brief_index
g:brief_options
EOF

done_testing
