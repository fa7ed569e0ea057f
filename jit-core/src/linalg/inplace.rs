//! The error of an in-place matrix product (`a @= b`) whose result does not have `a`'s shape:
//! NumPy's `ValueError` and message, recorded as a raised exception.

/// NumPy's message for `a @= b` whose product has shape `product` where `a` has shape `a`
/// (as many axes): the last axes differing, matmul's output core dimension message; else a
/// leading axis of length 1 in `a` that the product's is not, the iterator's
/// non-broadcastable output message.
pub(crate) fn out_shape_message(a: &[i64], product: &[i64]) -> String {
    let shape = |s: &[i64]| {
        let dims: Vec<String> = s.iter().map(i64::to_string).collect();
        if s.len() == 1 {
            format!("({},)", dims[0])
        } else {
            format!("({})", dims.join(","))
        }
    };
    let (n, m) = (a.len(), product.len());
    if n >= 1 && m >= 1 && a[n - 1] != product[m - 1] {
        let core = if n == 1 { 0 } else { 1 };
        return format!(
            "matmul: Output operand 0 has a mismatch in its core dimension {core}, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {} is different from {})",
            a[n - 1],
            product[m - 1]
        );
    }
    let reversed: Vec<i64> = a.iter().rev().copied().collect();
    format!(
        "non-broadcastable output operand with shape {} [remapped to {}] doesn't match the broadcast shape {}",
        shape(a),
        shape(&reversed),
        shape(product)
    )
}

/// Records NumPy's `ValueError` for `a @= b` whose product's shape is not a's (compiled code
/// returns [`crate::runtime::Status::Raised`] right after): `len` numbers at `dims`, a's number
/// of dimensions and sizes, then the product's.
///
/// # Safety
/// `dims` points to `len` readable i64s.
pub unsafe extern "C" fn sj_rt_matmul_out_error(dims: *const i64, len: i64) {
    // SAFETY: the caller's contract.
    let dims = unsafe { std::slice::from_raw_parts(dims, len.max(0) as usize) };
    let n = dims.first().copied().unwrap_or(0).max(0) as usize;
    let a = &dims[1..(1 + n).min(dims.len())];
    let rest = &dims[(1 + n).min(dims.len())..];
    let m = rest.first().copied().unwrap_or(0).max(0) as usize;
    let product = &rest[1.min(rest.len())..(1 + m).min(rest.len())];
    crate::runtime::record_raised("ValueError", out_shape_message(a, product));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_numpys() {
        assert_eq!(
            out_shape_message(&[2, 3], &[2, 2]),
            "matmul: Output operand 0 has a mismatch in its core dimension 1, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 2)"
        );
        assert_eq!(
            out_shape_message(&[3], &[4]),
            "matmul: Output operand 0 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)"
        );
        assert_eq!(
            out_shape_message(&[1, 2, 3, 4], &[5, 2, 3, 4]),
            "non-broadcastable output operand with shape (1,2,3,4) [remapped to (4,3,2,1)] doesn't match the broadcast shape (5,2,3,4)"
        );
    }
}
