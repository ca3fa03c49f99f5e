package dev.depthprobe.imagegpt;

import java.util.Map;

/**
 * A plain-loop, float64 transcription of transformers' ImageGPTModel.forward, independent of ND4J: the
 * reference for checkpoints of shapes the fixtures do not cover. Weights by ImageGPTModel name.
 */
final class ScalarImageGpt {
  private final ImageGptConfig config;
  private final Map<String, float[]> weights;

  ScalarImageGpt(ImageGptConfig config, Map<String, float[]> weights) {
    this.config = config;
    this.weights = weights;
  }

  /** hidden_states[0..n_layer] of one sequence, each [seq][n_embd]. */
  double[][][] hiddenStates(int[] ids) {
    int seq = ids.length;
    int embd = config.nEmbd();
    double[][][] states = new double[config.nLayer() + 1][][];
    double[][] x = new double[seq][embd];
    for (int s = 0; s < seq; s++) {
      for (int c = 0; c < embd; c++) {
        x[s][c] = w("wte.weight")[ids[s] * embd + c] + w("wpe.weight")[s * embd + c];
      }
    }
    states[0] = x;
    for (int i = 0; i < config.nLayer(); i++) {
      String p = "h." + i + ".";
      double[][] attn = linear(attention(layerNorm(x, p + "ln_1.weight"), i), p + "attn.c_proj", embd, embd);
      double[][] mid = add(x, attn);
      double[][] inner = linear(layerNorm(mid, p + "ln_2.weight"), p + "mlp.c_fc", embd, config.nInner());
      for (double[] row : inner) {
        for (int c = 0; c < row.length; c++) {
          row[c] = row[c] / (1 + Math.exp(-1.702 * row[c]));
        }
      }
      x = add(mid, linear(inner, p + "mlp.c_proj", config.nInner(), embd));
      states[i + 1] = i + 1 == config.nLayer() ? layerNorm(x, "ln_f.weight") : x;
    }
    return states;
  }

  double[][] layerNorm(double[][] x, String weight) {
    double[][] out = new double[x.length][x[0].length];
    for (int s = 0; s < x.length; s++) {
      double meanSquare = 0;
      for (double v : x[s]) {
        meanSquare += v * v;
      }
      double scale = 1 / Math.sqrt(meanSquare / x[s].length + config.layerNormEpsilon());
      for (int c = 0; c < x[s].length; c++) {
        out[s][c] = x[s][c] * scale * w(weight)[c];
      }
    }
    return out;
  }

  private double[][] attention(double[][] x, int layer) {
    int seq = x.length;
    int embd = config.nEmbd();
    int headDim = config.headDim();
    double[][] qkv = linear(x, "h." + layer + ".attn.c_attn", embd, 3 * embd);
    double scale = (config.scaleAttnWeights() ? Math.sqrt(headDim) : 1)
        * (config.scaleAttnByInverseLayerIdx() ? layer + 1 : 1);
    double[][] out = new double[seq][embd];
    for (int head = 0; head < config.nHead(); head++) {
      int q0 = head * headDim;
      int k0 = embd + head * headDim;
      int v0 = 2 * embd + head * headDim;
      for (int qs = 0; qs < seq; qs++) {
        double[] scores = new double[qs + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int ks = 0; ks <= qs; ks++) {
          for (int d = 0; d < headDim; d++) {
            scores[ks] += qkv[qs][q0 + d] * qkv[ks][k0 + d];
          }
          scores[ks] /= scale;
          max = Math.max(max, scores[ks]);
        }
        double sum = 0;
        for (int ks = 0; ks <= qs; ks++) {
          scores[ks] = Math.exp(scores[ks] - max);
          sum += scores[ks];
        }
        for (int ks = 0; ks <= qs; ks++) {
          for (int d = 0; d < headDim; d++) {
            out[qs][q0 + d] += scores[ks] / sum * qkv[ks][v0 + d];
          }
        }
      }
    }
    return out;
  }

  private double[][] linear(double[][] x, String prefix, int in, int outSize) {
    float[] weight = w(prefix + ".weight"); // (in, out)
    float[] bias = w(prefix + ".bias");
    double[][] out = new double[x.length][outSize];
    for (int s = 0; s < x.length; s++) {
      for (int o = 0; o < outSize; o++) {
        double acc = bias[o];
        for (int i = 0; i < in; i++) {
          acc += x[s][i] * weight[i * outSize + o];
        }
        out[s][o] = acc;
      }
    }
    return out;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][a[0].length];
    for (int s = 0; s < a.length; s++) {
      for (int c = 0; c < a[s].length; c++) {
        out[s][c] = a[s][c] + b[s][c];
      }
    }
    return out;
  }

  private float[] w(String name) {
    float[] value = weights.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no tensor " + name);
    }
    return value;
  }
}
