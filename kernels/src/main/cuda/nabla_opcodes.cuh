// GENERATED from dev.nabla.backend.OpCodes (core's UnaryOp, BinaryOp, ReduceOp, RandomKind); do not edit.
// Regenerate: mvn -o -q -pl backend-cuda -am test -Dtest=OpCodesHeaderTest -Dsurefire.failIfNoSpecifiedTests=false -Dnabla.opcodes.write=true -Dexec.skip=true
// then rebuild the PTX: kernels/build-ptx.sh --update
#pragma once

// UnaryOp
#define NB_UNARY_NEG 0
#define NB_UNARY_EXP 1
#define NB_UNARY_LOG 2
#define NB_UNARY_ABS 3
#define NB_UNARY_SQRT 4
#define NB_UNARY_SQUARE 5
#define NB_UNARY_RECIPROCAL 6
#define NB_UNARY_SIGN 7
#define NB_UNARY_ADD_SCALAR 8
#define NB_UNARY_MUL_SCALAR 9
#define NB_UNARY_RSUB_SCALAR 10
#define NB_UNARY_RDIV_SCALAR 11
#define NB_UNARY_POW_SCALAR 12
#define NB_UNARY_MAX_SCALAR 13
#define NB_UNARY_MIN_SCALAR 14
#define NB_UNARY_CLIP 15
#define NB_UNARY_GT_SCALAR 16
#define NB_UNARY_GE_SCALAR 17
#define NB_UNARY_LT_SCALAR 18
#define NB_UNARY_LE_SCALAR 19
#define NB_UNARY_EQ_SCALAR 20
#define NB_UNARY_STEP 21
#define NB_UNARY_BIPOLAR_STEP 22
#define NB_UNARY_RELU 23
#define NB_UNARY_LEAKY_RELU 24
#define NB_UNARY_SIGMOID 25
#define NB_UNARY_TANH 26
#define NB_UNARY_SOFTPLUS 27
#define NB_UNARY_SWISH 28
#define NB_UNARY_COUNT 29
// biasActivation without an activation
#define NB_UNARY_IDENTITY (-1)

// BinaryOp
#define NB_BINARY_ADD 0
#define NB_BINARY_SUB 1
#define NB_BINARY_MUL 2
#define NB_BINARY_DIV 3
#define NB_BINARY_POW 4
#define NB_BINARY_MAXIMUM 5
#define NB_BINARY_MINIMUM 6
#define NB_BINARY_EQ 7
#define NB_BINARY_NE 8
#define NB_BINARY_LT 9
#define NB_BINARY_LE 10
#define NB_BINARY_GT 11
#define NB_BINARY_GE 12
#define NB_BINARY_RELU_BACKWARD 13
#define NB_BINARY_LEAKY_RELU_BACKWARD 14
#define NB_BINARY_SIGMOID_BACKWARD 15
#define NB_BINARY_TANH_BACKWARD 16
#define NB_BINARY_COUNT 17

// ReduceOp
#define NB_REDUCE_SUM 0
#define NB_REDUCE_MAX 1
#define NB_REDUCE_MIN 2
#define NB_REDUCE_ARGMAX 3
#define NB_REDUCE_ARGMIN 4

// RandomKind
#define NB_RANDOM_UNIFORM 0
#define NB_RANDOM_NORMAL 1
#define NB_RANDOM_DROPOUT_MASK 2
