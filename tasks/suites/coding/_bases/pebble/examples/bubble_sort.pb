# Sorts a list in place, smallest first, and returns it.
let bubble_sort = fn(xs) {
    let n = len(xs);
    let swapped = true;
    while swapped {
        swapped = false;
        let i = 1;
        while i < n {
            if xs[i - 1] > xs[i] {
                let t = xs[i];
                xs[i] = xs[i - 1];
                xs[i - 1] = t;
                swapped = true;
            }
            i = i + 1;
        }
        n = n - 1;
    }
    return xs;
};

print(bubble_sort([5, 3, 8, 1, 9, 2]));
print(bubble_sort(["pear", "apple", "fig"]));
