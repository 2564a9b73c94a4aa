import re


def snake_case(text):
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


def title_case(text):
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())
