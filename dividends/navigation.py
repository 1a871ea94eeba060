"""Navigation entry (盈余分配), the cooperative-page panel and the member's home panel."""


def register() -> None:
    pass
