" brief.vim: search a brief index from Vim; the hits fill the quickfix list.
"
" :Brief {query}, :BriefRegex {pattern} and :BriefFigures [{query}] run
" brief-search (--vimgrep, --vimgrep -e, --figures) and read its
" "path:line:col:text" lines with a private 'errorformat', so the user's
" 'errorformat' and 'grepformat' are never touched.  See :help brief.
" Needs Vim 8.0.1040 or later (getqflist() with "lines" and "efm").

if exists('g:loaded_brief') || &compatible || !has('patch-8.0.1040')
    finish
endif
let g:loaded_brief = 1

let s:save_cpo = &cpo
set cpo&vim

" The argument list of one search.  The query goes after "--" (a pattern
" after -e) so that text starting with "-" is never taken for an option.
function! s:Args(kind, text) abort
    let args = [get(g:, 'brief_command', 'brief-search')]
    let index = get(g:, 'brief_index', '')
    if index !=# ''
        let args += ['-d', fnamemodify(expand(index), ':p')]
    endif
    let args += get(g:, 'brief_options', [])
    if a:kind ==# 'regex'
        let args += ['--vimgrep', '-e', a:text]
    elseif a:kind ==# 'figures'
        let args += ['--figures', '--'] + (a:text ==# '' ? [] : [a:text])
    else
        let args += ['--vimgrep', '--', a:text]
    endif
    return args
endfunction

" Run the command args with /bin/sh whatever the user's 'shell' is: csh
" and fish would not understand "2>", and shellescape() quotes for the
" 'shell' of the moment (for fish it doubles backslashes), so the quoting
" happens here, under sh.  stderr goes to a file of its own so that
" warnings and error messages never end up in the quickfix list.
" Returns [stdout lines, stderr lines, exit status].
function! s:System(args) abort
    let saved = [&shell, &shellcmdflag, &shellredir, &shellquote,
                \ &shellxquote]
    let errfile = tempname()
    try
        set shell=/bin/sh shellcmdflag=-c shellquote= shellxquote=
        let &shellredir = '>%s 2>&1'
        let cmd = join(map(copy(a:args), 'shellescape(v:val)'), ' ')
        let out = systemlist(cmd . ' 2>' . shellescape(errfile))
        let status = v:shell_error
        let err = filereadable(errfile) ? readfile(errfile) : []
    finally
        let [&shell, &shellcmdflag, &shellredir, &shellquote,
                    \ &shellxquote] = saved
        call delete(errfile)
    endtry
    return [out, err, status]
endfunction

function! s:Message(group, msg) abort
    execute 'echohl' a:group
    echomsg a:msg
    echohl None
endfunction

" Parse brief-search's lines without touching 'errorformat'.  A figure
" line is "path:line:col: VALUE ...": its text loses the leading space.
function! s:Items(lines, kind) abort
    let efm = a:kind ==# 'figures' ? '%f:%l:%c: %m' : '%f:%l:%c:%m'
    return getqflist({'lines': a:lines, 'efm': efm}).items
endfunction

function! s:Run(kind, text) abort
    let name = {'search': 'Brief', 'regex': 'BriefRegex',
                \ 'figures': 'BriefFigures'}[a:kind]
    let title = ':' . name . (a:text ==# '' ? '' : ' ' . a:text)
    let [out, err, status] = s:System(s:Args(a:kind, a:text))
    if status == 1
        call setqflist([], ' ', {'title': title, 'items': []})
        echomsg 'brief: no hits'
        return
    elseif status != 0
        " 2 is brief-search's error; anything else (127: not found, a
        " signal) is reported the same way, with whatever it said.
        let msg = join(empty(err) ? out : err, ' ')
        call s:Message('ErrorMsg', msg !=# '' ? msg
                    \ : 'brief: ' . join(s:Args(a:kind, a:text))
                    \   . ': exit status ' . status)
        return
    endif
    call setqflist([], ' ', {'title': title,
                \ 'items': s:Items(out, a:kind)})
    botright copen
    " Warnings (skipped files, stale documents) are worth a look.
    if !empty(err)
        call s:Message('WarningMsg', err[0])
    endif
endfunction

command! -nargs=+ Brief call s:Run('search', <q-args>)
command! -nargs=+ BriefRegex call s:Run('regex', <q-args>)
command! -nargs=* BriefFigures call s:Run('figures', <q-args>)

let &cpo = s:save_cpo
unlet s:save_cpo
