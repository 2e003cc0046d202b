import { treeValue, type DecisionTree } from '../core/answer/decide.ts';

/**
 * Gradient-boosted decision trees for a yes/no label (logistic loss, Newton leaf values), small
 * enough to fit in seconds on tens of thousands of samples: each feature is sorted once, and each
 * node scans it for the split that most reduces the loss.
 */
export interface TreeSample {
  features: readonly number[];
  label: 0 | 1;
  weight: number;
}

export interface BoostingOptions {
  rounds: number;
  depth: number;
  learningRate: number;
  minLeafWeight: number;
}

export function fitBoostedTrees(samples: readonly TreeSample[], options: BoostingOptions): { bias: number; trees: DecisionTree[] } {
  const featureCount = samples[0]?.features.length ?? 0;
  const positive = samples.reduce((sum, sample) => sum + sample.weight * sample.label, 0);
  const total = samples.reduce((sum, sample) => sum + sample.weight, 0);
  const bias = Math.log(positive / Math.max(total - positive, 1e-9));
  const margins = new Float64Array(samples.length).fill(bias);
  const sortedByFeature = Array.from({ length: featureCount }, (_, feature) =>
    Int32Array.from(samples.keys()).sort((a, b) => (samples[a]?.features[feature] ?? 0) - (samples[b]?.features[feature] ?? 0)),
  );
  const trees: DecisionTree[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const gradients = new Float64Array(samples.length);
    const hessians = new Float64Array(samples.length);
    samples.forEach((sample, i) => {
      const p = 1 / (1 + Math.exp(-(margins[i] ?? 0)));
      gradients[i] = (p - sample.label) * sample.weight;
      hessians[i] = Math.max(p * (1 - p), 1e-6) * sample.weight;
    });
    const inNode = new Uint8Array(samples.length).fill(1);
    const tree = growNode(samples, sortedByFeature, gradients, hessians, inNode, 1, options);
    trees.push(tree);
    samples.forEach((sample, i) => (margins[i] = (margins[i] ?? 0) + treeValue(tree, sample.features)));
  }
  return { bias, trees };
}

function leafValue(gradient: number, hessian: number, options: BoostingOptions): DecisionTree {
  return { leaf: Math.round((-gradient / (hessian + 1)) * options.learningRate * 1e4) / 1e4 };
}

function growNode(
  samples: readonly TreeSample[],
  sortedByFeature: readonly Int32Array[],
  gradients: Float64Array,
  hessians: Float64Array,
  inNode: Uint8Array,
  marker: number,
  options: BoostingOptions,
  depth = 0,
): DecisionTree {
  let gradient = 0;
  let hessian = 0;
  for (let i = 0; i < samples.length; i++) {
    if (inNode[i] !== marker) continue;
    gradient += gradients[i] ?? 0;
    hessian += hessians[i] ?? 0;
  }
  if (depth >= options.depth) return leafValue(gradient, hessian, options);
  const parentScore = (gradient * gradient) / (hessian + 1);
  let best = { gain: 0, feature: -1, threshold: 0 };
  sortedByFeature.forEach((order, feature) => {
    let leftGradient = 0;
    let leftHessian = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] ?? 0;
      if (inNode[i] !== marker) continue;
      leftGradient += gradients[i] ?? 0;
      leftHessian += hessians[i] ?? 0;
      const value = samples[i]?.features[feature] ?? 0;
      // Split only between distinct values.
      let next = k + 1;
      while (next < order.length && inNode[order[next] ?? 0] !== marker) next++;
      if (next >= order.length) break;
      const nextValue = samples[order[next] ?? 0]?.features[feature] ?? 0;
      if (nextValue === value) continue;
      const rightGradient = gradient - leftGradient;
      const rightHessian = hessian - leftHessian;
      if (leftHessian < options.minLeafWeight || rightHessian < options.minLeafWeight) continue;
      const gain = (leftGradient * leftGradient) / (leftHessian + 1) + (rightGradient * rightGradient) / (rightHessian + 1) - parentScore;
      if (gain > best.gain) best = { gain, feature, threshold: (value + nextValue) / 2 };
    }
  });
  if (best.feature < 0) return leafValue(gradient, hessian, options);
  const leftMarker = marker * 2;
  const rightMarker = marker * 2 + 1;
  for (let i = 0; i < samples.length; i++) {
    if (inNode[i] !== marker) continue;
    inNode[i] = (samples[i]?.features[best.feature] ?? 0) < best.threshold ? leftMarker : rightMarker;
  }
  const left = growNode(samples, sortedByFeature, gradients, hessians, inNode, leftMarker, options, depth + 1);
  const right = growNode(samples, sortedByFeature, gradients, hessians, inNode, rightMarker, options, depth + 1);
  return { feature: best.feature, threshold: Math.round(best.threshold * 1e6) / 1e6, left, right };
}
