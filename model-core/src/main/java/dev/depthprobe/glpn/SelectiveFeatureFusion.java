package dev.depthprobe.glpn;

import dev.depthprobe.nn.BatchNorm2d;
import dev.depthprobe.nn.Conv2d;
import dev.depthprobe.nn.Tokens;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.depthprobe.checkpoint.StateDict;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * transformers GLPNSelectiveFeatureFusion (GLPN paper, section 3.4): conv-BN-ReLU twice and a conv
 * give a two-channel sigmoid attention map that weighs the local and the global features.
 */
final class SelectiveFeatureFusion {
  private final Conv2d conv1;
  private final BatchNorm2d norm1;
  private final Conv2d conv2;
  private final BatchNorm2d norm2;
  private final Conv2d conv3;

  SelectiveFeatureFusion(StateDict weights, String prefix, int inChannel) {
    this.conv1 = new Conv2d(weights, prefix + ".convolutional_layer1.0", 2 * inChannel, inChannel, 3, 1, 1);
    this.norm1 = new BatchNorm2d(weights, prefix + ".convolutional_layer1.1", inChannel);
    this.conv2 = new Conv2d(weights, prefix + ".convolutional_layer2.0", inChannel, inChannel / 2, 3, 1, 1);
    this.norm2 = new BatchNorm2d(weights, prefix + ".convolutional_layer2.1", inChannel / 2);
    this.conv3 = new Conv2d(weights, prefix + ".convolutional_layer3", inChannel / 2, 2, 3, 1, 1);
  }

  /** local and global tokens (B*H*W, C) -> {@code local * attn[:, 0] + global * attn[:, 1]}, (B*H*W, C). */
  Tokens forward(Tokens localFeatures, Tokens globalFeatures) {
    // (B*H*W, C) twice -> (B*H*W, 2C)
    Tokens features = localFeatures.with(Nd4j.concat(1, localFeatures.values(), globalFeatures.values()));
    features = relu(norm1.forwardInPlace(conv1.forward(features)));
    features = relu(norm2.forwardInPlace(conv2.forward(features)));
    INDArray attn = Transforms.sigmoid(conv3.forward(features).values(), false); // (B*H*W, 2)
    INDArray hybrid = localFeatures.values().mulColumnVector(attn.get(all(), point(0)).reshape(-1, 1));
    hybrid.addi(globalFeatures.values().mulColumnVector(attn.get(all(), point(1)).reshape(-1, 1)));
    return localFeatures.with(hybrid);
  }

  private static Tokens relu(Tokens x) {
    Transforms.relu(x.values(), false);
    return x;
  }
}
