from __future__ import annotations

from django import forms


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    password = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    otp_token = forms.CharField(
        label="动态口令", max_length=8, required=False,
        help_text="管理员等角色须输入手机令牌上的 6 位动态口令",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
