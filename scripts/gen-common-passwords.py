#!/usr/bin/env python3
"""Writes credential/common-passwords.txt: the passwords and password stems that
credential.CheckPassword refuses (lower case, without diacritics or spaces).

The list is made here, not downloaded: common English and Vietnamese passwords and
words people build passwords from, Vietnamese full names, places and office words of
a provincial administration, keyboard walks and number patterns. CheckPassword also
strips digits and symbols around a password and undoes common letter substitutions
before it looks a password up, so "Thainguyen@2025" is found by "thainguyen".

Run from the repository root: python3 scripts/gen-common-passwords.py
"""

english = """
password passwords passw0rd password1 qwerty letmein iloveyou welcome admin administrator
monkey dragon football baseball basketball hockey soccer tennis golf master sunshine princess
shadow superman batman spiderman ironman trustno1 michael jennifer jordan hunter ranger buster
harley charlie thomas robert daniel starwars computer internet whatever freedom secret summer
winter spring autumn flower flowers hello hellokitty lovely loveyou iloveu babygirl babyboy
cookie chocolate pokemon naruto minecraft fortnite roblox google facebook youtube instagram
twitter tiktok zalo apple iphone samsung nokia microsoft windows linux ubuntu oracle system
server database changeme default guest test tester testing demo login logon user username
root toor access mustang ferrari porsche lamborghini mercedes toyota honda yamaha liverpool
chelsea arsenal manchester manutd barcelona realmadrid juventus madrid london paris america
canada newyork superstar rockstar angel angels devil killer hacker matrix ninja warrior
phoenix tigers tiger eagle eagles falcon diamond silver golden gold money million rich lucky
happy smile friend friends family mother father sister brother forever always together
passport security private office company business manager service support account benjamin
william jessica ashley amanda joshua andrew justin taylor nicole matthew anthony samantha
elizabeth christine jasmine michelle stephanie melissa heather charlotte olivia sophia emma
abcdef abcdefg abcdefgh abcdefghi abcdefghij abcdefghijk abcdefghijkl abc abcd abcde
letmein123 welcome123 admin123 admin1234 administrator1 root123 test123 password123
iloveyou123 qwerty123 asdfgh123 zxcvbnm123 monkey123 dragon123 master123 secret123
princess1 sunshine1 shadow1 superman1 football1 baseball1 welcome1 trustme trustno1
loveme lovelove loveyou2 iloveyou2 iloveyouforever iloveyousomuch ilovemymom ilovemydad
myspace mypassword yourpassword thepassword newpassword oldpassword mypass pass passw
passwd pa55word p4ssword p@ssword p@ssw0rd password! changeit changeme123 letmeinplease
opensesame whatsup nothing something anything everything nobody somebody blessed blessing
jesus christ jesuschrist god godisgood heaven hallelujah buddha allah peace love hope faith
destiny dream dreams dreamer magic wizard merlin gandalf hobbit frodo legend legolas zelda
mario luigi sonic pikachu charizard starcraft warcraft diablo skyrim halo callofduty
playstation xbox nintendo gamer gaming player computer1 laptop desktop keyboard mouse
monitor printer scanner network wireless wifi router modem hotspot bluetooth android
samsung123 nokia123 iphone123 apple123 google123 facebook1 microsoft1 windows7 windows10
windows11 ubuntu123 linux123 oracle123 mysql postgres postgresql sqlserver mongodb redis
docker kubernetes jenkins gitlab github bitbucket jira confluence wordpress joomla drupal
cisco juniper fortinet paloalto vmware citrix sophos kaspersky norton mcafee avast
summer2024 winter2024 spring2024 autumn2024 summer2025 winter2025 spring2025 autumn2025
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday weekend holiday vacation
one two three four five six seven eight nine ten eleven twelve hundred thousand
red blue green yellow orange purple pink black white brown grey gray violet
cat dog bird fish horse lion bear wolf fox rabbit snake monkey tiger panda koala
beautiful handsome sweetheart honey sugar candy baby babe darling sweetie cutie
""".split()

vietnamese = """
matkhau matma makhau matkhaumoi matkhaucu matkhau123 matkhaucuatoi matkhaucuaban
anhyeuem emyeuanh yeuem yeuanh yeuemnhieu yeuanhnhieu anhyeuemnhieu emyeuanhnhieu
toiyeuem toiyeuanh iloveyouem anhnhoem emnhoanh nhoem nhoanh yeuemmaimai yeuanhmaimai
yeuthuong thuongem thuonganh thuongnhieu maimaibennhau bennhau maimai mai tinhyeu
tinhban tinhanh tinhem giadinh bame bomay mebe boyeu meyeu conyeu embe anhoi emoi
vietnam vietnamvodich vietnamoi toiyeuvietnam hanoi saigon hochiminh tphcm danang
haiphong cantho hue nhatrang dalat vungtau halong sapa phuquoc quynhon vinh thanhhoa
nghean hatinh quangbinh quangtri quangnam quangngai binhdinh phuyen khanhhoa ninhthuan
binhthuan kontum gialai daklak daknong lamdong binhphuoc tayninh binhduong dongnai
bariavungtau longan tiengiang bentre travinh vinhlong dongthap angiang kiengiang
haugiang soctrang baclieu camau thainguyen langson bacgiang bacninh caobang hagiang
tuyenquang yenbai laocai phutho vinhphuc quangninh backan backan dienbien laichau
sonla hoabinh hanam namdinh ninhbinh thaibinh hungyen haiduong
xinchao chaoban chaoem chaoanh tambiet hanhphuc thanhcong maiman mayman binhan
muaxuan muahe muathu muadong conmeo concho meocon chocon bongda tinhyeucuatoi
trangsang mattroi mattrang ngoisao bautroi bienca songnuoc quehuong dattroi
hoahong hoalan hoamai hoadao hoacuc hoasen
ubnd ubndtinh ubndhuyen ubndxa sokhcn sokhoahoccongnghe sotttt sothongtintruyenthong
sonoivu sotaichinh sokhdt sokehoachdautu sonnptnt sotnmt sogtvt soxaydung soyte
sogiaoducdaotao sovhttdl socongthuong sotuphap solaodong khcn khoahoc congnghe
chuyendoiso cds egov chinhphu chinhphudientu chinhquyen chinhquyenso tinhuy hdnd
vanphong vanphongubnd quantri quantrivien quanly quanlyhethong baocao thamdinh
lanhdao canbo congchuc vienchuc tinhso tinhsoadmin hethong ketoan nhansu nhanvien
giamdoc phogiamdoc truongphong phophong chuyenvien thukho thuky vanthu
doimoisangtao doimoi sangtao kinhte xahoi phattrien tuonglai thanhpho tinh huyen xa
phuong thon xom ban lang
""".split()

surnames = "nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao trinh mai lam ha".split()
middles = ["", "van", "thi"]
given = """
an anh binh bao chau chi cuong dat dung dung duc duong giang ha hai hang hanh hao hau hien hieu
hoa hoai hoang hong hue hung huong huy khanh khoa kien lam lan linh loan loc long mai minh my
nam nga ngan nghia ngoc nhan nhung phat phong phuc phuong quan quang quynh son tai tam tan thang
thanh thao thinh thu thuy tien tin toan trang tri trung truong tu tuan tung uyen van viet vinh vy
xuan yen
""".split()

walks = """
qwerty qwertyu qwertyui qwertyuio qwertyuiop qwertyuiop[] qwertyuiop[]\\ qwertz qwertzuiop
azerty azertyuiop asdf asdfg asdfgh asdfghj asdfghjk asdfghjkl asdfghjkl; zxcv zxcvb zxcvbn
zxcvbnm zxcvbnm,./ poiuytrewq lkjhgfdsa mnbvcxz 1qaz2wsx 1qaz2wsx3edc 1qaz2wsx3edc4rfv
qazwsx qazwsxedc qazwsxedcrfv zaq12wsx zaq1xsw2 1qazxsw2 !qaz@wsx !qaz2wsx 1q2w3e 1q2w3e4r
1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u q1w2e3r4 q1w2e3r4t5 q1w2e3r4t5y6 qweasd qweasdzxc
qweasdzxc123 123qwe 123qweasd 123qweasdzxc qwe123 qwe123456 1234qwer qwer1234 asdf1234
zxcv1234 qwerasdf qwerasdfzxcv asdfqwer 1234asdf 1234zxcv qweqwe asdasd zxczxc
147258369 147258 258369 159357 159753 357159 753951 741852963 963852741 789456123 321654987
123456789 987654321 147852369 963258741 1478963 3698741 2580 0852 14789632 12369874
""".split()

numbers = """
123456789012 1234567890 01234567890 0123456789 9876543210 09876543210 12345678910
123456789000 000000000000 111111111111 123123123123 121212121212 112233445566
123321123321 147147147147 1234512345 12341234 123412341234 1234554321 123454321
11223344 1122334455 111222333 111222333444 123456123456 654321654321 666888 668899
888888888888 999999999999 6868686868 868686 686868 8888 6666 9999 1368 3979 7979
""".split()

words = set()
for w in english + vietnamese + walks + numbers:
    words.add(w.lower())
for s in surnames:
    for g in given:
        words.add(g + s)
        for m in middles:
            words.add(s + m + g)
    words.add(s)
for g in given:
    words.add(g)
    words.add("anh" + g)
    words.add("em" + g)
    words.add("yeu" + g)
    words.add(g + "yeu")
# Common stems doubled or with "i love"
for w in english[:120] + vietnamese[:60]:
    words.add("ilove" + w)
    words.add("my" + w)

words = sorted(w for w in words if len(w) >= 3)
with open("credential/common-passwords.txt", "w") as f:
    f.write("# Passwords and password stems credential.CheckPassword refuses: lower case,\n")
    f.write("# without diacritics or spaces. Made by scripts/gen-common-passwords.py.\n")
    for w in words:
        f.write(w + "\n")
print(len(words), "entries")
