;;; brief.el --- Search a brief index from Emacs  -*- lexical-binding: t; -*-

;; Author: the brief project
;; Version: 0.1
;; Package-Requires: ((emacs "26.1"))
;; Keywords: matching, tools

;; This file is not part of GNU Emacs.

;;; Commentary:

;; brief-search(1) searches an index built by brief-index(1) and cites
;; every answer as path:line:col.  This package runs it in a grep-mode
;; buffer, *brief*, where RET, mouse-2, `next-error' (M-g n) and
;; `previous-error' jump to the file, line and column of each hit.
;;
;;   M-x brief-search RET 5G base stations RET   ranked keyword search
;;   M-x brief-regex RET [0-9.]+ trillion RET    PCRE2 search, line by line
;;   M-x brief-figures RET GDP RET               the figures of the passages
;;
;; With a prefix argument each command asks for the index directory.
;; Otherwise `brief-index' is used when set, else brief-search finds the
;; index itself ($BRIEF_INDEX, or the nearest .brief up from the buffer's
;; `default-directory').  Citations are relative to that directory.
;;
;; Columns.  brief-search prints 1-based *byte* columns; Emacs moves by
;; characters.  The *brief* buffer sets `compilation-first-column' to 1
;; and `compilation-error-screen-columns' to nil, and converts each byte
;; column to a character column: for --vimgrep lines from the line text
;; printed after the column (the indexed text, exactly what the column
;; counts), for figures from the cited line of the file on disk.  So a
;; jump lands on the first character of the match on any UTF-8 line
;; (accents, CJK, emoji), as long as the file is decoded as UTF-8 and,
;; for figures, has not changed since it was indexed.  Plain M-x grep on
;; `brief-search --vimgrep' output finds the file and line but not the
;; column: grep-mode reads only "file:line:".
;;
;; Setup: put this directory on `load-path' and
;;   (autoload 'brief-search "brief" nil t)
;;   (autoload 'brief-regex "brief" nil t)
;;   (autoload 'brief-figures "brief" nil t)
;; or simply (require 'brief).

;;; Code:

(require 'compile)
(require 'grep)

(defgroup brief nil
  "Search a brief index and jump to the cited passages."
  :group 'tools
  :prefix "brief-")

(defcustom brief-command "brief-search"
  "The brief-search program to run: a file name, or a name found in PATH."
  :type 'string)

(defcustom brief-index nil
  "The index directory, passed as -d; nil lets brief-search find it.
brief-search then uses $BRIEF_INDEX, or the nearest .brief in the
buffer's `default-directory' or one of its parents."
  :type '(choice (const :tag "Found by brief-search" nil) directory))

(defcustom brief-arguments nil
  "Further arguments put before the query, each one shell word.
For example (\"-n\" \"50\") for fifty hits, or (\"-i\") for caseless
`brief-regex'."
  :type '(repeat string))

(defvar brief-history nil "Queries and patterns given to the brief commands.")

(defvar-local brief--format 'vimgrep
  "How the lines of this *brief* buffer read: `vimgrep' or `figures'.")
;; Kept when `g' (`recompile') runs the mode function again.
(put 'brief--format 'permanent-local t)

(defvar-local brief--file-lines nil
  "Per *brief* buffer, file name -> the file's raw bytes (for figures).")

(defconst brief--citation
  (concat "^\\(?1:[^\n:]*[^\n/:]\\):\\(?2:[1-9][0-9]*\\)"
          ":\\(?3:[1-9][0-9]*\\):")
  "A citation at the start of a line: path:line:col: (1-based byte col).")

(defun brief--char-column (bytes byte-col)
  "Return the 1-based character column of 1-based BYTE-COL in BYTES.
BYTES is a unibyte string holding the UTF-8 text of the line."
  (1+ (length (decode-coding-string
               (substring bytes 0 (max 0 (min (1- byte-col) (length bytes))))
               'utf-8-unix t))))

(defun brief--file-line (file line)
  "Return line LINE of FILE as a unibyte string of its bytes, or nil."
  (unless brief--file-lines
    (setq brief--file-lines (make-hash-table :test #'equal)))
  (let ((text (or (gethash file brief--file-lines)
                  (puthash file
                           (with-temp-buffer
                             (set-buffer-multibyte nil)
                             (ignore-errors
                               (insert-file-contents-literally file))
                             (buffer-string))
                           brief--file-lines))))
    (with-temp-buffer
      (set-buffer-multibyte nil)
      (insert text)
      (goto-char (point-min))
      (when (zerop (forward-line (1- line)))
        (buffer-substring-no-properties (point) (line-end-position))))))

(defun brief--column ()
  "Return the character column of the citation just matched.
Called by compilation with the match data of `brief--citation'."
  (let ((byte-col (string-to-number (match-string-no-properties 3)))
        (bytes
         (save-match-data
           (if (eq brief--format 'figures)
               (brief--file-line (expand-file-name (match-string 1))
                                 (string-to-number (match-string 2)))
             (encode-coding-string
              (buffer-substring-no-properties (match-end 0)
                                              (line-end-position))
              'utf-8-unix t)))))
    (if bytes (brief--char-column bytes byte-col) byte-col)))

(defun brief--exit-message (status code msg)
  "The line that ends a *brief* buffer, from the exit of brief-search.
STATUS, CODE and MSG are as for `compilation-exit-message-function'."
  (cond ((not (eq status 'exit)) (cons msg code))
        ((zerop code) '("finished\n" . "finished"))
        ((= code 1) '("no hits\n" . "no hits"))
        (t (cons (format "failed with exit status %d\n" code)
                 (format "failed (%d)" code)))))

(defun brief--process-setup ()
  "Set up a brief-search process: like grep's, with our exit message."
  (grep-process-setup)
  (setq-local compilation-exit-message-function #'brief--exit-message))

(defun brief--start-hook (proc)
  "Read PROC's output as UTF-8 whatever the locale, as the columns need."
  (set-process-coding-system proc 'utf-8-unix 'utf-8-unix))

(define-derived-mode brief-mode grep-mode "Brief"
  "Major mode for the output of brief-search: each citation is a link.
\\{brief-mode-map}"
  (setq-local compilation-error-regexp-alist
              `((,brief--citation 1 2 brief--column nil)))
  ;; Columns are 1-based, in characters (brief--column converts bytes).
  (setq-local compilation-first-column 1)
  (setq-local compilation-error-screen-columns nil)
  (setq-local compilation-process-setup-function #'brief--process-setup)
  (add-hook 'compilation-start-hook #'brief--start-hook nil t)
  ;; The command line is built for sh (see `brief--run'), also when `g'
  ;; runs it again, so sh runs it whatever the user's shell is.
  (setq-local shell-file-name "/bin/sh")
  (setq-local shell-command-switch "-c"))

(defun brief--run (format args &optional index)
  "Run brief-search with ARGS in a *brief* buffer; return the buffer.
FORMAT is `vimgrep' or `figures'.  INDEX, when non-nil, is the index
directory (else `brief-index')."
  (let* ((index (or index brief-index))
         (words (append (list brief-command "--color=never")
                        (and index
                             (list "-d" (file-local-name
                                         (expand-file-name index))))
                        brief-arguments args))
         (command (mapconcat #'shell-quote-argument words " "))
         (buffer (compilation-start command #'brief-mode
                                    (lambda (_mode) "*brief*"))))
    (with-current-buffer buffer
      (setq brief--format format))
    buffer))

(defun brief--read (prompt &optional no-default)
  "Read a query with PROMPT, offering the symbol at point; and an index.
With NO-DEFAULT, offer nothing: empty input is an empty query.
Return (QUERY INDEX); INDEX is asked for with a prefix argument only."
  (let* ((default (and (not no-default) (thing-at-point 'symbol t)))
         (query (read-string (if default
                                 (format "%s (default %s): " prompt default)
                               (format "%s: " prompt))
                             nil 'brief-history default))
         (index (and current-prefix-arg
                     (read-directory-name "Index directory: " nil
                                          brief-index t))))
    (list query index)))

;;;###autoload
(defun brief-search (query &optional index)
  "Search the brief index for QUERY; list the matches in *brief*.
QUERY is brief's query language: words (stemmed), \"phrases\", OR,
NOT, NEAR/N, prefix*, path:GLOB.  Each match of the best hits is one
line `path:line:col:text' (brief-search --vimgrep).  With a prefix
argument, ask for the INDEX directory."
  (interactive (brief--read "Brief search"))
  (brief--run 'vimgrep (list "--vimgrep" "--" query) index))

;;;###autoload
(defun brief-regex (pattern &optional index)
  "List every match of the PCRE2 PATTERN in the brief index, in *brief*.
With a prefix argument, ask for the INDEX directory."
  (interactive (brief--read "Brief regex"))
  (brief--run 'vimgrep (list "--vimgrep" "-e" pattern) index))

;;;###autoload
(defun brief-figures (query &optional index)
  "List the figures of the passages matching QUERY (all if empty).
Each line is `path:line:col: VALUE UNIT [qualifier] \"text\" — subject'.
With a prefix argument, ask for the INDEX directory."
  (interactive (brief--read "Brief figures (empty: all)" t))
  (brief--run 'figures
              (append (list "--figures" "--")
                      (and query (not (string= query "")) (list query)))
              index))

(provide 'brief)
;;; brief.el ends here
