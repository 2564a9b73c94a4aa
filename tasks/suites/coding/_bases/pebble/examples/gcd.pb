# Greatest common divisor, by Euclid's algorithm.
# Both arguments must be positive integers.
let gcd = fn(a, b) {
    while b != 0 {
        let t = b;
        b = a % b;
        a = t;
    }
    return a;
};

# Least common multiple of two positive integers.
let lcm = fn(a, b) {
    return a / gcd(a, b) * b;
};

let pairs = [[12, 18], [7, 5], [100, 75]];
let i = 0;
while i < len(pairs) {
    let p = pairs[i];
    print(str(p[0]) + ", " + str(p[1]) + ": gcd " + str(gcd(p[0], p[1])) + ", lcm " + str(lcm(p[0], p[1])));
    i = i + 1;
}
