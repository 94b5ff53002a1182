/*
 * One exported function per symbol of cublas12_symbols.h: a tail jump through the slot that shim.c fills
 * with CUDA 13's function. Registers and stack are untouched, so any signature passes through.
 */
.macro TRAMPOLINE name
    .globl \name
    .type \name, @function
    .p2align 4
\name:
    jmp *nabla_slot_\name(%rip)
    .size \name, . - \name
.endm

#define CUBLAS_SYMBOL(name) TRAMPOLINE name

    .text
#include "cublas12_symbols.h"

/* No executable stack: recent glibc refuses to dlopen libraries that ask for one. */
    .section .note.GNU-stack, "", @progbits
