package instantly

const (
	testKey = "sk_live_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1JkLmNb0Vc+Xz/Qa=="
	testID  = "019e18e2-a52f-78e7-96f2-b33ee19bb50a"
)
