// ONNX Runtime latency at batch 1, one thread unless told (npm onnxruntime-node, CPU
// provider), timed around `await session.run()` like BASELINES.md. Prints "min_us median_us".
//
// usage: node ort_latency.js MODEL.onnx ITERATIONS [THREADS]
'use strict';
const path = require('path');
const ort = require(path.join(__dirname, '../tools/oracle/node_modules/onnxruntime-node'));

async function main() {
  const [model, iterations, threads] = process.argv.slice(2);
  const options = {intraOpNumThreads: Number(threads || 1), interOpNumThreads: 1, executionMode: 'sequential',
                   graphOptimizationLevel: 'all'};
  const session = await ort.InferenceSession.create(model, options);
  const name = session.inputNames[0];
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  let dims = meta && meta.shape ? meta.shape.map(d => (typeof d === 'number' ? d : 1)) : null;
  if (!dims) dims = [1, 1, 28, 28];
  const size = dims.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor('float32', Float32Array.from({length: size}, (_, i) => (i % 255) / 255),
                           dims);
  const times = [];
  for (let i = 0; i < 50; ++i) await session.run({[name]: x});  // warm-up
  for (let i = 0; i < Number(iterations); ++i) {
    const t0 = process.hrtime.bigint();
    await session.run({[name]: x});
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(`${times[0].toFixed(2)} ${times[times.length >> 1].toFixed(2)}`);
}
main().catch(e => { console.error(e.message); process.exit(1); });
