"""Demo data of the supervision app: each area seeds its own part."""


def seed(ctx) -> None:
    from supervision.demo_oversight import seed as seed_oversight

    seed_oversight(ctx)
