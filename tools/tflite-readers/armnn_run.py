#!/usr/bin/python3
"""Runs a .tflite model with Arm NN's TfLite parser on the CpuRef backend (Debian python3-pyarmnn),
an independent reader of our exported models. Usage:
    /usr/bin/python3 armnn_run.py MODEL.tflite IN_DIR OUT_DIR [MODEL IN_DIR OUT_DIR ...]
reads IN_DIR/<n>.in.bin (raw bytes of the input tensor), writes OUT_DIR/<n>.out.bin, for each
(model, in, out) triple in turn (one process for many models: the library loads once)."""
import os
import sys

import numpy as np
import pyarmnn as ann

NUMPY_TYPES = {
    ann.DataType_QAsymmS8: np.int8,
    ann.DataType_QSymmS8: np.int8,
    ann.DataType_QAsymmU8: np.uint8,
    ann.DataType_Float32: np.float32,
    ann.DataType_Signed32: np.int32,
}


def main(model_path, in_dir, out_dir):
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(model_path)
    in_name = parser.GetSubgraphInputTensorNames(0)[0]
    out_name = parser.GetSubgraphOutputTensorNames(0)[0]
    in_info = parser.GetNetworkInputBindingInfo(0, in_name)
    out_info = parser.GetNetworkOutputBindingInfo(0, out_name)
    runtime = ann.IRuntime(ann.CreationOptions())
    opt, _messages = ann.Optimize(network, [ann.BackendId('CpuRef')], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(opt)
    in_type = NUMPY_TYPES[in_info[1].GetDataType()]
    os.makedirs(out_dir, exist_ok=True)
    names = sorted(f for f in os.listdir(in_dir) if f.endswith('.in.bin'))
    for name in names:
        data = np.fromfile(os.path.join(in_dir, name), dtype=in_type)
        if data.size != in_info[1].GetNumElements():
            raise SystemExit('%s: %d values, the model input holds %d' % (name, data.size, in_info[1].GetNumElements()))
        inputs = ann.make_input_tensors([in_info], [data])
        outputs = ann.make_output_tensors([out_info])
        runtime.EnqueueWorkload(net_id, inputs, outputs)
        result = ann.workload_tensors_to_ndarray(outputs)[0]
        result.tofile(os.path.join(out_dir, name.replace('.in.bin', '.out.bin')))
    print('ran %d inputs' % len(names))


if __name__ == '__main__':
    args = sys.argv[1:]
    if len(args) == 0 or len(args) % 3 != 0:
        sys.stderr.write('usage: armnn_run.py MODEL.tflite IN_DIR OUT_DIR [MODEL IN_DIR OUT_DIR ...]\n')
        sys.exit(1)
    for i in range(0, len(args), 3):
        main(args[i], args[i + 1], args[i + 2])
