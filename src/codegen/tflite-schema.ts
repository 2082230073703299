/**
 * The few parts of TensorFlow Lite's flatbuffer schema the .tflite writer needs: enum values and
 * field slots, transcribed from tensorflow/compiler/mlir/lite/schema/schema.fbs (schema version 3,
 * file identifier "TFL3"). A field's slot is its declaration index in its table.
 */

export const TFLITE_SCHEMA_VERSION = 3;
export const TFLITE_FILE_IDENTIFIER = 'TFL3';

/** enum TensorType : byte */
export const TensorType = { FLOAT32: 0, INT32: 2, INT8: 9 } as const;

/** enum BuiltinOperator : int32 */
export const BuiltinOperator = {
  AVERAGE_POOL_2D: 1,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  MAX_POOL_2D: 17,
  RESHAPE: 22,
  SOFTMAX: 25,
  QUANTIZE: 114,
} as const;
export type BuiltinOperatorCode = (typeof BuiltinOperator)[keyof typeof BuiltinOperator];

/** union BuiltinOptions: position in the union (NONE = 0). */
export const BuiltinOptions = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ReshapeOptions: 17,
} as const;

/** enum Padding : byte */
export const TflPadding = { SAME: 0, VALID: 1 } as const;

/** enum ActivationFunctionType : byte */
export const TflActivation = { NONE: 0, RELU: 1, RELU6: 3 } as const;

/** Field slots (declaration index) per table. */
export const Field = {
  Model: { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4, count: 5 },
  OperatorCode: { deprecated_builtin_code: 0, custom_code: 1, version: 2, builtin_code: 3, count: 4 },
  SubGraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4, count: 5 },
  Tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, count: 5 },
  QuantizationParameters: { min: 0, max: 1, scale: 2, zero_point: 3, details_type: 4, details: 5, quantized_dimension: 6, count: 7 },
  Operator: { opcode_index: 0, inputs: 1, outputs: 2, builtin_options_type: 3, builtin_options: 4, count: 5 },
  Buffer: { data: 0, count: 1 },
  Conv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, fused_activation_function: 3, dilation_w_factor: 4, dilation_h_factor: 5, count: 6 },
  DepthwiseConv2DOptions: { padding: 0, stride_w: 1, stride_h: 2, depth_multiplier: 3, fused_activation_function: 4, dilation_w_factor: 5, dilation_h_factor: 6, count: 7 },
  Pool2DOptions: { padding: 0, stride_w: 1, stride_h: 2, filter_width: 3, filter_height: 4, fused_activation_function: 5, count: 6 },
  FullyConnectedOptions: { fused_activation_function: 0, weights_format: 1, keep_num_dims: 2, count: 3 },
  SoftmaxOptions: { beta: 0, count: 1 },
  ReshapeOptions: { new_shape: 0, count: 1 },
} as const;

/** Buffer.data is declared `(force_align: 16)`. */
export const BUFFER_ALIGNMENT = 16;

/**
 * Operator versions for int8 kernels (tensorflow/lite/tools/versioning/op_version.cc): full
 * TensorFlow Lite picks kernels by (op, version); TFLite Micro ignores the version.
 */
export const INT8_OP_VERSION: Readonly<Record<BuiltinOperatorCode, number>> = {
  [BuiltinOperator.AVERAGE_POOL_2D]: 2,
  [BuiltinOperator.CONV_2D]: 3,
  [BuiltinOperator.DEPTHWISE_CONV_2D]: 3,
  [BuiltinOperator.DEQUANTIZE]: 2,
  [BuiltinOperator.FULLY_CONNECTED]: 4,
  [BuiltinOperator.MAX_POOL_2D]: 2,
  [BuiltinOperator.RESHAPE]: 1,
  [BuiltinOperator.SOFTMAX]: 2,
  [BuiltinOperator.QUANTIZE]: 2,
};
