let make_counter = fn() {
  let count = 0;
  return fn() { count = count + 1; return count; };
};
let a = make_counter();
let b = make_counter();
a(); a();
print(a(), b());
