# primes below 50, by trial division
let primes = [];
let n = 2;
while n < 50 {
  let i = 0;
  let prime = true;
  while i < len(primes) and prime {
    if n % primes[i] == 0 { prime = false; }
    i = i + 1;
  }
  if prime { push(primes, n); }
  n = n + 1;
}
print(primes);
