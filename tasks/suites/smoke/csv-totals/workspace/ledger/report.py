from collections import defaultdict


def parse_amount(text):
    return float(text)


def totals_by_category(rows):
    sums = defaultdict(float)
    for row in rows:
        sums[row["category"]] += parse_amount(row["amount"])
    return sorted(sums.items())
