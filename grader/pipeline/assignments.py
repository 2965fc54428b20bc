"""The six assignments, in course order, and what each one ships to students."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Assignment:
    id: str          # folder name under course/source/, and the notebook's name
    checks: str      # the grader.checks module shipped with it (besides the core)
    title: str
    functions: tuple  # the contract: functions the student writes, each graded

    @property
    def notebook(self):
        return f"{self.id}.ipynb"


ASSIGNMENTS = [
    Assignment("01-neuron", "neuron", "The neuron", (
        "step", "perceptron", "neuron", "sigmoid", "sigmoid_prime", "tanh", "tanh_prime",
        "relu", "relu_prime", "leaky_relu", "leaky_relu_prime")),
    Assignment("02-xor", "xor", "XOR and why we need layers", (
        "perceptron_train", "nand_gate", "xor_network")),
    Assignment("03-forward-pass", "forward", "The forward pass", (
        "layer_shapes", "count_params", "init_params", "dense", "forward")),
    Assignment("04-softmax-cross-entropy", "softmax", "Softmax and cross-entropy, derived", (
        "softmax", "softmax_jacobian", "cross_entropy", "softmax_cross_entropy_grad",
        "sigmoid_bce_grad", "sigmoid_mse_grad")),
    Assignment("05-vectorized-backprop", "backprop", "Vectorized backpropagation and training", (
        "numerical_gradient", "relative_error", "directional_check", "scalar_chain_grad",
        "backward", "backward_mse", "planted_bug", "gd_step", "train", "minibatches")),
    Assignment("06-worked-example-222", "worked", "The worked 2-2-2 sigmoid example", (
        "forward_222", "dL_dw2_11", "dL_dw1_11", "dL_dw1_21", "backprop_222",
        "w1_11_after_step", "train_222")),
]
BY_ID = {a.id: a for a in ASSIGNMENTS}


def get(assignment_id):
    """The Assignment with this id, or a ValueError naming the valid ids."""
    try:
        return BY_ID[assignment_id]
    except KeyError:
        raise ValueError(f"unknown assignment {assignment_id!r}: expected one of "
                         f"{', '.join(BY_ID)}") from None
