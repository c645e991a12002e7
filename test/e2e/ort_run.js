// Runs an ONNX model with ONNX Runtime (npm onnxruntime-node, CPU) on .npy inputs and writes
// .npy outputs: the independent oracle of the end-to-end tests.
//
// usage: node ort_run.js MODEL.onnx IN0.npy [IN1.npy ...] -- OUT0.npy [OUT1.npy ...]
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '../../tools/oracle/node_modules/onnxruntime-node'));

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '|u1': ['uint8', Uint8Array], '|i1': ['int8', Int8Array],
  '<i4': ['int32', Int32Array], '<i8': ['int64', BigInt64Array],
  '|b1': ['bool', Uint8Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',')
      .map(s => s.trim()).filter(s => s.length).map(Number);
  const [type, Ctor] = DTYPES[descr];
  const off = start + hlen;
  const bytes = buf.subarray(off);
  const data = new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return new ort.Tensor(type, type === 'bool' ? Uint8Array.from(data) : data, shape);
}

function writeNpy(file, tensor) {
  const descr = {float32: '<f4', float64: '<f8', uint8: '|u1', int8: '|i1', int32: '<i4',
                 int64: '<i8', bool: '|b1'}[tensor.type];
  const dims = tensor.dims.length === 1 ? `${tensor.dims[0]},` : tensor.dims.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const pre = Buffer.alloc(10);
  Buffer.from('\x93NUMPY', 'latin1').copy(pre, 0);
  pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), data]));
}

async function main() {
  const args = process.argv.slice(2);
  const sep = args.indexOf('--');
  const model = args[0];
  const inputs = args.slice(1, sep);
  const outputs = args.slice(sep + 1);
  const session = await ort.InferenceSession.create(model, {intraOpNumThreads: 1});
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  const results = await session.run(feeds);
  session.outputNames.forEach((name, i) => { if (outputs[i]) writeNpy(outputs[i], results[name]); });
}

main().catch(e => { console.error('ort_run: ' + e.message); process.exit(1); });
