"""The reference engine: the canonical numpy implementation of every student function.

Names and signatures are the course's contract: those of the notebooks' answer cells.
The engine knows nothing of grading. Notation: see ``solutions.network``.
"""
from .activations import (ACTIVATIONS, get_activation, identity, identity_prime,
                          leaky_relu, leaky_relu_prime, relu, relu_prime, sigmoid,
                          sigmoid_prime, step, step_prime, tanh, tanh_prime)
from .datasets import one_hot, spirals, two_moons, xor
from .descent import descend_until, gradient_descent, quadratic, quadratic_grad
from .gradcheck import directional_check, numerical_gradient, planted_bug, relative_error
from .losses import (binary_cross_entropy, cross_entropy, identity_mse_grad, loss_grad,
                     loss_value, sigmoid_bce_grad, sigmoid_mse_grad, softmax,
                     softmax_cross_entropy_grad, softmax_jacobian, squared_error)
from .network import (backward, backward_mse, count_params, dense, forward, init_params,
                      layer_shapes, output_delta, scalar_chain_grad)
from .perceptron import nand_gate, neuron, perceptron, perceptron_train, xor_network
from .training import accuracy, gd_step, minibatches, predict, train
from .worked_222 import (backprop_222, dL_dw1_11, dL_dw1_21, dL_dw2_11, forward_222,
                         params_222, train_222, w1_11_after_step)
