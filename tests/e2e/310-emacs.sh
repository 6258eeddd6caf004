#!/bin/sh
# 310-emacs: editors/emacs/brief.el in the real Emacs, in batch mode.
# Each command runs brief-search in the *brief* buffer; the test waits for
# it, then walks the first entries with compilation's own `first-error' /
# `next-error' and writes, per entry, the citation it visited and the spot
# point landed on: file:line:col (col in characters, 1-based) and the text
# from there.  brief prints byte columns, so on lines with accents or CJK
# the two columns differ; the landing text shows the jump is right.  The
# landing texts were checked by hand (sed -n LINEp FILE | cut -bCOL-).
. "$(dirname "$0")/lib.sh"

if ! command -v emacs >/dev/null 2>&1 || ! command -v timeout >/dev/null 2>&1
then
    echo "SKIP $TOPIC: emacs (or timeout) is not installed"
    exit 0
fi

index_corpus
mkdir fx
printf '%s\n' 'Café prices in Zürich rose 3.5% in 2023, say the 北京 statistics.' \
    '' '数据: exports reached 12 billion yuan, up 4%.' >fx/prices.txt
bi -q -d fx.ix fx

em() { PATH="$BIN:$PATH" timeout 20 emacs -Q --batch "$@" </dev/null 2>&1; }

# The package as a package: it byte-compiles without a warning, and its
# autoload cookies define the three commands.
cp "$ROOT/editors/emacs/brief.el" brief.el
t 'brief.el byte-compiles without warnings' \
    em --eval '(setq byte-compile-error-on-warn t)' \
    -f batch-byte-compile brief.el <<EOF
EOF
cat >autoloads.el <<'EOF'
(let ((file (expand-file-name "brief-autoloads.el")))
  (if (fboundp 'loaddefs-generate)
      (loaddefs-generate default-directory file)
    (require 'autoload)
    (let ((generated-autoload-file file))
      (update-file-autoloads (expand-file-name "brief.el") t file))))
EOF
em -l ./autoloads.el >/dev/null
t 'autoloads: brief-search, brief-regex, brief-figures' \
    grep -o "^(autoload '[a-z-]*" brief-autoloads.el <<EOF
(autoload 'brief-search
(autoload 'brief-regex
(autoload 'brief-figures
EOF

cat >run.el <<'EOF'
;;; run.el --- drives brief.el for 310-emacs.sh  -*- lexical-binding: t; -*-
(setq coding-system-for-write 'utf-8-unix
      inhibit-message t                 ; "First locus from *brief*"...
      ;; brief.el builds sh command lines and runs them with /bin/sh.
      shell-file-name "/nonexistent/fish")
(defvar test-dir default-directory)

(defun test-wait (buffer)
  "Wait until the brief-search process of BUFFER has ended and reported."
  (let ((deadline (+ (float-time) 15)))
    (while (and (get-buffer-process buffer) (< (float-time) deadline))
      (accept-process-output nil 0.05))))

(defun test-rel (file) (file-relative-name file test-dir))

(defun test-visited ()
  "The citation of the *brief* line that next-error visited."
  (with-current-buffer next-error-last-buffer
    (save-excursion
      (goto-char compilation-current-error)
      (and (looking-at "[^:\n]*:[0-9]+:[0-9]+") (match-string 0)))))

(defun test-spot ()
  "Where point landed: file:line:col (characters, 1-based) and the text."
  (with-current-buffer (window-buffer (selected-window))
    (goto-char (window-point))
    (format "%s:%d:%d %s" (test-rel buffer-file-name) (line-number-at-pos)
            (1+ (- (point) (line-beginning-position)))
            (buffer-substring-no-properties
             (point) (min (line-end-position) (+ (point) 12))))))

(defun test-status (buffer)
  "The line compilation wrote when brief-search ended, without the date."
  (with-current-buffer buffer
    (goto-char (point-max))
    (if (re-search-backward "^Brief \\(.*?\\)\\( at .*\\)?$" nil t)
        (match-string 1)
      "(no exit line)")))

(defun test-walk (name buffer n)
  "Write NAME.em: the first N entries of BUFFER, each visited."
  (test-wait buffer)
  (with-temp-file (concat test-dir name ".em")
    (condition-case err
        (dotimes (i n)
          (if (= i 0) (first-error) (next-error))
          (insert (test-visited) " -> " (test-spot) "\n"))
      (error (insert (format "%s\n" (error-message-string err)))))
    (insert "status " (test-status buffer) "\n")))

(test-walk "search" (brief-search "5G base stations") 3)
(test-walk "regex" (brief-regex "new industrialization") 2)
(test-walk "figures" (brief-figures "5G base stations") 1)
(test-walk "quoting"
           (brief-regex "\\$?[0-9.]+ trillion|world's|\"Since|31\\.7%|#x") 4)
(test-walk "dash" (brief-search "-yuan 5G") 1)
;; The index given as an argument (C-u) or as `brief-index'; multibyte.
(test-walk "mb" (brief-search "statistics OR yuan" "fx.ix") 2)
(test-walk "mbfig" (let ((brief-index "fx.ix")) (brief-figures "")) 3)
;; `g' runs the same command again; the columns are still converted.
(test-walk "recompile"
           (with-current-buffer "*brief*" (recompile) (current-buffer)) 1)
(test-walk "none" (brief-search "zzzzqqq") 1)
(let ((buffer (brief-search "((")))
  (test-walk "error" buffer 1)
  (let ((msg (with-current-buffer buffer
               (goto-char (point-min))
               (if (re-search-forward "^brief-search: .*$" nil t)
                   (match-string-no-properties 0)
                 "(no message)"))))
    (with-temp-file (concat test-dir "error.out")
      (insert msg "\n"))))
;; No brief.el: M-x grep on --vimgrep output.
(require 'grep)
(setq shell-file-name "/bin/sh")
(test-walk "grep" (grep "brief-search --vimgrep 5G base stations") 1)
EOF
t 'emacs runs the script' \
    em -L "$ROOT/editors/emacs" -l ./brief-autoloads.el -l ./run.el <<EOF
EOF

t 'brief-search: one entry per match, at its column' cat search.em <<EOF
$F:17:128 -> $F:17:128 5G base stat
$F:17:131 -> $F:17:131 base station
$F:17:136 -> $F:17:136 stations has
status finished
EOF
# Line 5 has a 3-byte apostrophe (country’s) before the match: byte
# column 42 is character column 40.
t 'brief-regex: PCRE2 matches, byte column to character column' \
    cat regex.em <<EOF
$F:1:110 -> $F:1:110 new industri
$F:5:42 -> $F:5:40 new industri
status finished
EOF
t 'brief-figures: the figure, at the figure text' cat figures.em <<EOF
$F:17:157 -> $F:17:157 3.38 million
status finished
EOF
t 'brief-regex: \ $ ? | '"'"' " % # reach brief-search as typed' \
    cat quoting.em <<EOF
$F:1:30 -> $F:1:30 "Since the 1
$F:13:72 -> $F:13:72 40 trillion 
$F:13:96 -> $F:13:96 39.9 trillio
$F:13:131 -> $F:13:131 31.7% of GDP
status finished
EOF
t 'brief-search: a query starting with - is a query, not an option' \
    cat dash.em <<EOF
$F:17:128 -> $F:17:128 5G base stat
status finished
EOF
# "yuan": byte 36, character 32; "statistics": byte 59, character 53.
t 'index argument; accents and CJK before the match' cat mb.em <<EOF
fx/prices.txt:3:36 -> fx/prices.txt:3:32 yuan, up 4%.
fx/prices.txt:1:59 -> fx/prices.txt:1:53 statistics.
status finished
EOF
# Figures: the column is converted with the cited line of the file.
t 'brief-index; brief-figures with no query: all figures' cat mbfig.em <<EOF
fx/prices.txt:1:30 -> fx/prices.txt:1:28 3.5% in 2023
fx/prices.txt:1:38 -> fx/prices.txt:1:36 2023, say th
fx/prices.txt:3:25 -> fx/prices.txt:3:21 12 billion y
status finished
EOF
t 'recompile (g): the same spots' cat recompile.em <<EOF
fx/prices.txt:1:30 -> fx/prices.txt:1:28 3.5% in 2023
status finished
EOF
t 'exit status 1: no entries, "no hits"' cat none.em <<EOF
Moved past last grep hit
status no hits
EOF
t 'exit status 2: the message, no entries' cat error.em error.out <<EOF
Moved past last grep hit
status failed with exit status 2
brief-search: query:1:2: unbalanced parenthesis
EOF
# Emacs's grep-regexp-alist reads "file:line:" only, so plain M-x grep
# gets the file and the line; the column is brief.el's.
first_spot() { sed -n 1p "$1" | sed 's/.* -> //' | cut -d: -f1-2; }
t 'no brief.el: M-x grep on --vimgrep output, file and line' \
    first_spot grep.em <<EOF
$F:17
EOF

done_testing
