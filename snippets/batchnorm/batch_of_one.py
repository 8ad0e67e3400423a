"""A batch of one in train mode: BatchNorm has nothing to average over.

``nn.BatchNorm2d`` still works on one image (it averages each channel over the H × W positions of that image),
but ``nn.BatchNorm1d`` on a (1, C) batch has one value per feature and refuses: the batch variance would be 0 and
the output would be β whatever the input. In eval mode a batch of one is fine: the running statistics are used.
"""

import torch
from torch import nn

EXPECT_EXCEPTION = "ValueError"  # the last line below raises, on purpose

if __name__ == "__main__":
    torch.manual_seed(0)

    bn2d = nn.BatchNorm2d(3).train()
    image = torch.randn(1, 3, 4, 4)           # one image, 3 channels, 4 × 4 positions
    # What it prints is shapes and code, the same on the Ukrainian and the English page: input shape → output shape.
    print("BatchNorm2d.train():", tuple(image.shape), "→", tuple(bn2d(image).shape))

    bn1d = nn.BatchNorm1d(3)
    one = torch.randn(1, 3)                   # one sample, 3 features
    print("BatchNorm1d.eval(): ", tuple(one.shape), "→", tuple(bn1d.eval()(one).shape))

    print("BatchNorm1d.train():", tuple(one.shape), "→")
    bn1d.train()(one)
