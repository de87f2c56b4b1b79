"""Demo tips: placeholder replaced below."""


def load(rng, stdout):
    pass
