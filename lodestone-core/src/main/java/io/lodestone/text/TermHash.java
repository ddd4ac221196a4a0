package io.lodestone.text;

import java.util.Arrays;

/**
 * Term text → dense term id (0, 1, 2, … in first-seen order), keyed on char slices so that indexing does not
 * allocate a String per token. Open addressing with linear probing; ids are stable. Not thread-safe.
 */
final class TermHash {

    private char[][] terms = new char[1024][];
    private int[] hashes = new int[1024];
    private int[] table = new int[2048]; // term id + 1; 0 = empty slot
    private int size;

    int size() {
        return size;
    }

    /** The chars of term {@code id} (do not modify). */
    char[] chars(int id) {
        return terms[id];
    }

    /** The id of the term in {@code buffer[0, length)}, adding it when new. */
    int add(char[] buffer, int length) {
        int h = hash(buffer, length);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) {
                int id = size++;
                if (id == terms.length) {
                    terms = Arrays.copyOf(terms, id * 2);
                    hashes = Arrays.copyOf(hashes, id * 2);
                }
                terms[id] = Arrays.copyOf(buffer, length);
                hashes[id] = h;
                table[slot] = id + 1;
                if (size * 2 > table.length) rehash();
                return id;
            }
            int id = entry - 1;
            if (hashes[id] == h && Arrays.equals(terms[id], 0, terms[id].length, buffer, 0, length)) return id;
        }
    }

    /** The id of {@code term}, or -1 when absent. */
    int find(String term) {
        char[] chars = term.toCharArray();
        int h = hash(chars, chars.length);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int entry = table[slot];
            if (entry == 0) return -1;
            int id = entry - 1;
            if (hashes[id] == h && Arrays.equals(terms[id], chars)) return id;
        }
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = hashes[id] & mask;
            while (bigger[slot] != 0) slot = (slot + 1) & mask;
            bigger[slot] = id + 1;
        }
        table = bigger;
    }

    private static int hash(char[] buffer, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) h = 31 * h + buffer[i];
        return h ^ (h >>> 16) ^ (h >>> 7);
    }
}
