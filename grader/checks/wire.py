"""Plain data between the grading kernel and the grader: JSON, never a pickle.

``encode`` turns what a student's function returned into JSON-safe data (arrays as
dtype, shape and base64 bytes; floats exactly, by their hex form); ``decode`` reads
it back strictly, with limits, on the grader's side. ``digest`` is a canonical hash
of a value, and ``seal``/``unseal`` lock a value with a key made from other values:
the replays of upstream functions open only for exactly the inputs they were made for.
"""
import base64
import hashlib
import json

import numpy as np

DTYPES = {"<f8", "<f4", "<f2", "<i8", "<i4", "<i2", "|i1", "<u8", "<u4", "<u2", "|u1", "|b1"}
MAX_ITEMS, MAX_DEPTH, MAX_BYTES = 100_000, 12, 8 * 2 ** 20


class WireError(ValueError):
    """The data is not what the recorder writes (malformed, too big, or an unknown kind)."""


def encode(x, depth=0):
    """x -> JSON-safe data. Unknown objects become their type's name only."""
    if depth > MAX_DEPTH:
        return {"other": "nested too deep"}
    if x is None or isinstance(x, (bool, str)):
        return x if not isinstance(x, str) else {"str": x[:2000]}
    if isinstance(x, (int, np.integer)) and not isinstance(x, np.bool_):
        return {"int": str(int(x))}
    if isinstance(x, (float, np.floating)) and np.ndim(x) == 0 and not isinstance(x, np.ndarray):
        return {"float": float(x).hex(), "dtype": np.asarray(x).dtype.str}
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.ndarray):
        if x.dtype.str not in DTYPES:
            return {"other": "ndarray", "text": f"array(dtype={x.dtype}, shape={x.shape})"}
        data = np.ascontiguousarray(x)
        return {"nd": x.dtype.str, "shape": list(x.shape),
                "b64": base64.b64encode(data.tobytes()).decode()}
    if isinstance(x, (list, tuple)):
        return {"tuple" if isinstance(x, tuple) else "list":
                [encode(v, depth + 1) for v in list(x)[:MAX_ITEMS]]}
    if isinstance(x, np.ufunc) and getattr(np, x.__name__, None) is x:
        return {"ufunc": x.__name__}
    if isinstance(x, dict):
        return {"dict": {str(k)[:200]: encode(v, depth + 1)
                         for k, v in list(x.items())[:1000] if isinstance(k, str)}}
    try:
        text = repr(x)[:200]
    except Exception:  # a hostile __repr__: the type's name is enough
        text = ""
    return {"other": type(x).__name__[:100], "text": text}


def plain(x):
    """x as the grader sees it: its round trip through the wire (base arrays, lists, numbers).

    Views measure this, never the student's objects, whose methods may lie.
    """
    try:
        return decode(encode(x))
    except WireError as exc:
        return Other(type(x).__name__[:100], str(exc))


class Other:
    """An object the recorder could not carry: its type's name and a short repr."""

    def __init__(self, name, text=""):
        self.name, self.text = name, text

    def __repr__(self):
        return self.text or f"<{self.name} object>"


def decode(data, depth=0, budget=None):
    """JSON data -> Python/numpy values; raise WireError on anything unexpected."""
    budget = budget if budget is not None else [MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH + 1:
        raise WireError("the record is too large or too deeply nested")
    if data is None or isinstance(data, bool):
        return data
    if not isinstance(data, dict) or len(data) not in (1, 2, 3):
        raise WireError(f"unexpected item {type(data).__name__}")
    if "int" in data:
        return int(_text(data["int"], 400))
    if "float" in data:
        value = float.fromhex(_text(data["float"], 40))
        return np.dtype(_dtype(data.get("dtype", "<f8"))).type(value) \
            if data.get("dtype", "<f8") != "<f8" else value
    if "str" in data:
        return _text(data["str"], 2000)
    if "nd" in data:
        shape = data.get("shape")
        if not (isinstance(shape, list) and len(shape) <= 8
                and all(isinstance(n, int) and 0 <= n <= MAX_BYTES for n in shape)):
            raise WireError("bad array shape")
        raw = base64.b64decode(_text(data["b64"], 4 * MAX_BYTES // 3 + 8), validate=True)
        dtype = np.dtype(_dtype(data["nd"]))
        if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise WireError("array bytes do not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "list" in data or "tuple" in data:
        items = data.get("list", data.get("tuple"))
        if not isinstance(items, list):
            raise WireError("bad sequence")
        out = [decode(v, depth + 1, budget) for v in items]
        return out if "list" in data else tuple(out)
    if "dict" in data:
        if not isinstance(data["dict"], dict):
            raise WireError("bad mapping")
        return {_text(k, 200): decode(v, depth + 1, budget) for k, v in data["dict"].items()}
    if "ufunc" in data:
        fn = getattr(np, _text(data["ufunc"], 40), None)
        if not isinstance(fn, np.ufunc):
            raise WireError("unknown numpy ufunc")
        return fn
    if "other" in data:
        return Other(_text(data["other"], 200), _text(data.get("text", ""), 200))
    raise WireError("unknown item")


def _text(x, limit):
    if not isinstance(x, str) or len(x) > limit:
        raise WireError("bad text field")
    return x


def _dtype(s):
    if s not in DTYPES:
        raise WireError(f"dtype {s!r} not allowed")
    return s


def _canonical(x):
    """A stable, type-aware form for hashing: lists and tuples alike, numbers as float64."""
    if isinstance(x, np.ndarray):
        return ["nd", x.dtype.str, list(x.shape), hashlib.sha256(
            np.ascontiguousarray(x).tobytes()).hexdigest()]
    if isinstance(x, (list, tuple)):
        return ["seq", [_canonical(v) for v in x]]
    if isinstance(x, dict):
        return ["map", sorted([str(k), _canonical(v)] for k, v in x.items())]
    if isinstance(x, np.ufunc):
        return ["ufunc", x.__name__]
    if isinstance(x, (bool, np.bool_)) or x is None or isinstance(x, str):
        return x if not isinstance(x, np.bool_) else bool(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return ["num", float(x).hex()]
    return ["obj", type(x).__name__]


def digest(x):
    """A canonical SHA-256 of a value (arrays by dtype, shape and bytes)."""
    return hashlib.sha256(json.dumps(_canonical(x)).encode()).hexdigest()


def _stream(key, n):
    blocks = (hashlib.sha256(key + i.to_bytes(8, "big")).digest() for i in range(n // 32 + 1))
    return b"".join(blocks)[:n]


def _xor(data, key):
    stream = np.frombuffer(_stream(key, len(data)), dtype=np.uint8)
    return (np.frombuffer(data, dtype=np.uint8) ^ stream).tobytes()


def seal(key_value, value):
    """(lookup id, sealed bytes as text): value, readable only with key_value itself."""
    key = hashlib.sha256(b"key:" + digest(key_value).encode()).digest()
    plain = json.dumps(encode(value)).encode()
    return digest(key_value), base64.b64encode(_xor(plain, key)).decode()


def unseal(key_value, sealed):
    """The value sealed with key_value (see seal)."""
    key = hashlib.sha256(b"key:" + digest(key_value).encode()).digest()
    return decode(json.loads(_xor(base64.b64decode(sealed), key)))
