package io.dualsync.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean ...?" for names a user typed: the known names within a small edit distance
 * (Levenshtein, case-insensitive), closest first.
 */
public final class Spelling {

    private Spelling() {
    }

    /** The known name closest to {@code typed}, if one is close enough to be a likely typo. */
    public static Optional<String> closest(String typed, Collection<String> known) {
        return similar(typed, known, 1).stream().findFirst();
    }

    /** Up to {@code limit} known names close to {@code typed}, closest first. */
    public static List<String> similar(String typed, Collection<String> known, int limit) {
        // One edit per three letters: 'feilds' finds 'fields', while a one-letter typo like 'c'
        // suggests nothing rather than an arbitrary 'a'.
        int allowed = Math.min(3, typed.length() / 3);
        return known.stream()
                .filter(k -> allowed > 0 && distance(typed, k) <= allowed)
                .sorted(Comparator.comparingInt((String k) -> distance(typed, k)).thenComparing(k -> k))
                .limit(limit)
                .toList();
    }

    /** Optimal string alignment distance: Levenshtein plus swapping two neighbours ('nmae' -> 'name') as one edit. */
    static int distance(String s, String t) {
        String a = s.toLowerCase(Locale.ROOT);
        String b = t.toLowerCase(Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
