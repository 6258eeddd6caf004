# gen.awk: generated patterns for 200-trigram-diff.sh, from the words of
# a corpus (its text on stdin).  Deterministic: a Park-Miller generator
# with a fixed seed, and words in the order they first occur, so the same
# corpus gives the same patterns with any POSIX awk (run under LC_ALL=C:
# bytes, not characters).  Output: the format of patterns.txt, in groups
# of PER patterns ("## generated: ..." lines).
#
#   awk -v per=50 -f gen.awk corpus/*.txt >generated.txt

BEGIN {
    seed = 20240308
    if (per == 0)
        per = 50
    nw = nb = nn = nu = nd = 0
}

function rnd(k) {
    seed = (seed * 16807) % 2147483647
    return int(seed / 2147483647 * k)
}

# The pattern that matches s literally.
function quote(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (index("\\^$.|?*+()[]{}", c))
            out = out "\\"
        out = out c
    }
    return out
}

function word() { return words[rnd(nw)] }

function letter() { return substr("abcdefghijklmnopqrstuvwxyz", rnd(26) + 1, 1) }

# w with its character i (1-based) replaced by r.
function put(w, i, r) { return substr(w, 1, i - 1) r substr(w, i + 1) }

{
    nt = split($0, tok, /[ \t]+/)
    for (i = 1; i <= nt; i++) {
        t = tok[i]
        if (t ~ /^[A-Za-z]+$/) {
            if (length(t) >= 4 && !(t in seen) && nw < 20000) {
                seen[t] = 1
                words[nw++] = t
                if (t ~ /(aa|bb|cc|dd|ee|ff|gg|ll|mm|nn|oo|pp|rr|ss|tt)/)
                    doubled[nd++] = t
            }
            # Word pairs with a longer word: "of the" would print a
            # tenth of the corpus.
            if (i < nt && tok[i + 1] ~ /^[A-Za-z]+,?$/ && nb < 20000 &&
                length(t tok[i + 1]) >= 9 && (rnd(8) == 0 || nb < 100))
                bigrams[nb++] = t " " tok[i + 1]
        } else if (t ~ /^[0-9][0-9,.]*$/ && i < nt &&
                   tok[i + 1] ~ /^[a-z][a-z][a-z][a-z]+$/ && nn < 5000) {
            nums[nn++] = t " " tok[i + 1]
        } else if (t ~ /[^ -~]/ && !(t in seen) && nu < 2000) {
            seen[t] = 1
            utf[nu++] = t
        }
    }
}

function words_group(    k, w) {
    print "## generated: words"
    for (k = 0; k < per; k++) {
        w = word()
        if (k % 5 == 0)       print w
        else if (k % 5 == 1)  print "-i " toupper(w)
        else if (k % 5 == 2)  print "\\b" w "\\b"
        else if (k % 5 == 3)  print "(?i)" toupper(substr(w, 1, 1)) substr(w, 2)
        else                  print "-w " w
    }
}

function change_group(    k, w, i, c) {
    print "## generated: one character changed"
    for (k = 0; k < per; k++) {
        w = word()
        i = rnd(length(w)) + 1
        c = substr(w, i, 1)
        if (k % 6 == 0)       print put(w, i, "[" c letter() "]")
        else if (k % 6 == 1)  print put(w, i, c "?")
        else if (k % 6 == 2)  print put(w, i, c "+")
        else if (k % 6 == 3)  print put(w, i, ".")
        else if (k % 6 == 4)  print put(w, i, "[^" letter() "]")
        else                  print substr(w, 1, 3) "\\w*" substr(w, length(w) - 1)
    }
}

function alt_group(    k, a, b, c) {
    print "## generated: alternations"
    for (k = 0; k < per; k++) {
        a = word(); b = word(); c = word()
        if (k % 4 == 0)       print a "|" b
        else if (k % 4 == 1)  print "(" a "|" b ")\\b"
        else if (k % 4 == 2)  print a "|" b "|" c
        else                  print substr(a, 1, 3) "(" substr(b, 1, 2) "|" \
                                  substr(a, 4) ")"
    }
}

function bigram_group(    k, b, sp, x, y) {
    print "## generated: word pairs, spaces, lookarounds"
    for (k = 0; k < per && nb > 0; k++) {
        b = bigrams[rnd(nb)]
        sp = index(b, " ")
        x = substr(b, 1, sp - 1)
        y = substr(b, sp + 1)
        if (k % 6 == 0)       print quote(b)
        else if (k % 6 == 1)  print x "\\s+" quote(y)
        else if (k % 6 == 2)  print x "(?= " quote(y) ")"
        else if (k % 6 == 3)  print "(?<=" x " )" quote(y)
        else if (k % 6 == 4)  print x " (?!zq)" quote(y)
        else                  print "-i " toupper(x) " +" quote(y)
    }
}

function figure_group(    k, p, sp, v, u, w) {
    print "## generated: figures and repeats"
    for (k = 0; k < per; k++) {
        if (nn > 0 && k % 5 < 3) {
            p = nums[rnd(nn)]
            sp = index(p, " ")
            v = substr(p, 1, sp - 1)
            u = substr(p, sp + 1)
            if (k % 5 == 0)       print "[0-9.,]+ " u
            else if (k % 5 == 1)  print quote(v) " " u
            else                  print "\\d+ " substr(u, 1, 2) "[a-z]*"
        } else {
            w = word()
            if (k % 5 == 3)       print "(" w "){1,2}"
            else                  print w "s?\\b"
        }
    }
}

# "?" after a part that is not an exact string set (once a wrong answer:
# tests/unit/test_trigram.c, test_kept_optional_inexact).  The optional
# part is absent from the texts, so these match where w (or the word
# pair) does.
function optional_group(    k, w, x, b, sp) {
    print "## generated: optional parts"
    for (k = 0; k < per; k++) {
        w = word(); x = word()
        if (nb == 0 || k % 3 == 0) {
            print w "(" substr(x, 1, 3) "+)?"
            continue
        }
        b = bigrams[rnd(nb)]
        sp = index(b, " ")
        if (k % 3 == 1)
            print substr(b, 1, sp) "(" x x " )?" quote(substr(b, sp + 1))
        else
            print substr(b, 1, sp) "(" substr(x, 1, 2) "+ )?" \
                quote(substr(b, sp + 1))
    }
}

function utf8_group(    k, t) {
    if (nu == 0)
        return
    print "## generated: UTF-8 tokens"
    for (k = 0; k < per && k < 3 * nu; k++) {
        t = utf[rnd(nu)]
        if (k % 3 == 0)       print quote(t)
        else if (k % 3 == 1)  print "-i " quote(t)
        else                  print "\\w*" quote(t) "\\w*"
    }
}

function backref_group(    k, w, i) {
    if (nd == 0)
        return
    print "## generated: backreferences"
    for (k = 0; k < per; k++) {
        w = doubled[rnd(nd)]
        for (i = 1; i < length(w); i++)
            if (substr(w, i, 1) == substr(w, i + 1, 1))
                break
        if (k % 2 == 0)
            print substr(w, 1, i - 1) "(" substr(w, i, 1) ")\\1" \
                substr(w, i + 2)
        else
            print "(" substr(w, 1, 2) ")\\w*\\1"
    }
}

END {
    if (nw == 0)
        exit
    words_group()
    change_group()
    alt_group()
    bigram_group()
    figure_group()
    utf8_group()
    backref_group()
    optional_group()
}
