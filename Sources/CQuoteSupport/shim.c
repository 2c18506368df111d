// Keeps this C target non-empty; the shims live in the other .c files.
